using System.Text;
using Ingrain.Hocon.Values;

namespace Ingrain.Hocon.Syntax;

/// <summary>Parsing one document of any syntax into its unresolved tree.</summary>
internal static class HoconDocument
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static HoconValue ParseUnresolved(string text, SourceContext context, HoconSyntax syntax) => syntax switch
    {
        HoconSyntax.Properties => PropertiesParser.Parse(text, context.Description),
        HoconSyntax.Json => DocumentParser.Parse(text, context, json: true),
        _ => DocumentParser.Parse(text, context, json: false),
    };

    /// <summary>UTF-8 text; a byte-order mark stays in the text, where the parser treats it as whitespace.</summary>
    public static string Decode(Stream stream, string description)
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        try
        {
            return StrictUtf8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
        catch (DecoderFallbackException e)
        {
            throw new HoconException($"input is not valid UTF-8: {e.Message}", new HoconOrigin(description, 1, 1), inner: e);
        }
    }
}
