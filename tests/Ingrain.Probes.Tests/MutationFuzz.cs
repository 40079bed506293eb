using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;

namespace Ingrain.Probes.Tests;

/// <summary>
/// The fuzzing the payload parsers (DNS, TLS) share: a seeded run over random inputs and mutations of a corpus that
/// must each be accepted or refused without an exception (a failure names the input and replays from the seed), and
/// the same as an FsCheck property. The mutations and the random inputs are the parser's own.
/// </summary>
internal static class MutationFuzz
{
    /// <summary>
    /// <paramref name="count"/> inputs, every fourth from <paramref name="random"/>, the others a mutation of a corpus
    /// entry, each given to <paramref name="accept"/>; returns how many it accepted and refused.
    /// </summary>
    public static (long Accepted, long Refused) Run(int count, int seed, byte[][] corpus, Func<Random, byte[]> random,
        Func<Random, byte[], byte[]> mutate, Func<byte[], bool> accept, string what)
    {
        var rng = new Random(seed);
        long accepted = 0, refused = 0;
        for (var i = 0; i < count; i++)
        {
            var input = i % 4 == 0 ? random(rng) : mutate(rng, corpus[rng.Next(corpus.Length)]);
            try
            {
                if (accept(input)) accepted++;
                else refused++;
            }
            catch (Exception e)
            {
                throw new Xunit.Sdk.XunitException($"{what} {i} (seed {seed}) threw {e.GetType().Name}: {Convert.ToHexString(input)}\n{e}");
            }
        }
        return (accepted, refused);
    }

    /// <summary>FsCheck: <paramref name="read"/> never throws on a mutation of a corpus entry.</summary>
    public static void NeverThrows(byte[][] corpus, Func<Random, byte[], byte[]> mutate, Action<byte[]> read, ulong seed, int tests)
    {
        var gen = Gen.Elements(corpus).SelectMany(m => Gen.Choose(0, int.MaxValue).Select(s => mutate(new Random(s), m)));
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(tests).WithReplay(Replay(seed)), Prop.ForAll(gen.ToArbitrary(), input =>
        {
            read(input);
            return true;
        }));
    }

    /// <summary>FsCheck's replay of <paramref name="seed"/>: a property runs the same cases every time.</summary>
    public static FSharpOption<Replay> Replay(ulong seed) => FSharpOption<Replay>.Some(new Replay(new Rnd(seed), FSharpOption<int>.None));
}
