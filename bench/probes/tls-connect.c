/*
 * One TLS client connection from a fresh process, linked with the static OpenSSL that plexus links,
 * timed in process CPU per phase: what every thin ADD pays for reaching the API server, before
 * Plexus does anything of its own. Prints one JSON object; exits 1 with a message on any failure.
 * Usage: tls-connect HOST-IP PORT CA-FILE
 */
#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double cpu_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int fail(const char *what)
{
    char reason[256] = "";
    ERR_error_string_n(ERR_get_error(), reason, sizeof reason);
    fprintf(stderr, "tls-connect: %s failed: %s\n", what, reason);
    return 1;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: tls-connect HOST-IP PORT CA-FILE\n");
        return 1;
    }
    double start = cpu_ms();
    if (!OPENSSL_init_ssl(OPENSSL_INIT_LOAD_CONFIG | OPENSSL_INIT_LOAD_CRYPTO_STRINGS | OPENSSL_INIT_LOAD_SSL_STRINGS, NULL))
        return fail("OPENSSL_init_ssl");
    double initialized = cpu_ms();
    SSL_CTX *context = SSL_CTX_new(TLS_client_method());
    if (context == NULL)
        return fail("SSL_CTX_new");
    double created = cpu_ms();
    if (!SSL_CTX_load_verify_locations(context, argv[3], NULL))
        return fail("loading the CA file");
    SSL_CTX_set_verify(context, SSL_VERIFY_PEER, NULL);
    double trusted = cpu_ms();

    struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = htons((unsigned short)atoi(argv[2])) };
    if (inet_pton(AF_INET, argv[1], &address.sin_addr) != 1) {
        fprintf(stderr, "tls-connect: %s is not an IPv4 address\n", argv[1]);
        return 1;
    }
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&address, sizeof address) != 0) {
        perror("tls-connect: connect");
        return 1;
    }
    SSL *ssl = SSL_new(context);
    if (ssl == NULL || !SSL_set_fd(ssl, fd) || !X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), argv[1]))
        return fail("setting up the connection");
    if (SSL_connect(ssl) != 1)
        return fail("the handshake");
    double connected = cpu_ms();

    printf("{\"openssl\":\"%s\",\"initMs\":%.4f,\"contextMs\":%.4f,\"trustMs\":%.4f,\"handshakeMs\":%.4f}\n",
           OpenSSL_version(OPENSSL_VERSION), initialized - start, created - initialized, trusted - created, connected - trusted);
    SSL_shutdown(ssl);
    SSL_free(ssl);
    SSL_CTX_free(context);
    close(fd);
    return 0;
}
