using CsCheck;

namespace Plexus.Cni.Tests.Properties;

public sealed class CniArgsProperties
{
    // Any character but the two separators, including spaces, '/', quotes and non-ASCII.
    private static readonly Gen<string> Part = Gen.String[Gen.Char.Where(c => c is not ('=' or ';')), 0, 12];

    private static readonly Gen<List<KeyValuePair<string, string>>> Pairs =
        (from key in Part.Where(k => k.Length > 0) from value in Part select new KeyValuePair<string, string>(key, value)).List[1, 6];

    [Fact]
    public void Parse_FormattedPairs_ReturnsThemInOrder()
    {
        Pairs.Sample(pairs => Assert.Equal(pairs, CniArgs.Parse(new CniArgs(pairs).Format()).Pairs));
    }

    [Fact]
    public void Format_AnyParsableText_ParsesToTheSamePairs()
    {
        Gen.String[Gen.Char["ab=;"], 0, 16].Sample(text =>
        {
            CniArgs parsed;
            try
            {
                parsed = CniArgs.Parse(text);
            }
            catch (CniException e)
            {
                Assert.Equal(CniErrorCode.InvalidEnvironment, e.Code);
                return;
            }
            Assert.Equal(parsed.Pairs, CniArgs.Parse(parsed.Format()).Pairs);
        }, iter: 1000);
    }

    [Fact]
    public void With_AnyKey_GetReturnsTheNewValue()
    {
        Gen.Select(Pairs, Part.Where(k => k.Length > 0), Part).Sample((pairs, key, value) =>
        {
            var args = new CniArgs(pairs).With(key, value);

            Assert.Equal(value, args.Get(key));
            Assert.Equal(args.Pairs, CniArgs.Parse(args.Format()).Pairs);
        });
    }
}
