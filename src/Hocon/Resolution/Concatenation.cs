using System.Text;
using Ingrain.Hocon.Values;

namespace Ingrain.Hocon.Resolution;

/// <summary>Value concatenation (<c>foo bar</c>, <c>[1] [2]</c>, <c>{a:1} {b:2}</c>), joined as early as possible.</summary>
internal static class Concatenation
{
    /// <summary>A single value stays as it is; resolved pieces are joined now; otherwise joining waits for resolution.</summary>
    public static HoconValue Create(IReadOnlyList<HoconValue> pieces, HoconOrigin origin)
    {
        if (pieces.Count == 1) return pieces[0];
        if (pieces.Any(p => p is UnresolvedValue)) return new ConcatenationNode(origin, pieces);
        return Join(pieces, budget: null, origin) ?? new HoconString(origin, "", wasQuoted: true);
    }

    /// <summary>Joins resolved pieces left to right; null when there are none. The budget (absent while parsing,
    /// where the input bounds the result) stops concatenations of substituted values from growing without limit;
    /// it reports at <paramref name="origin"/>, where the concatenation is written.</summary>
    public static HoconValue? Join(IReadOnlyList<HoconValue> pieces, ResolutionBudget? budget, HoconOrigin origin)
    {
        var joiner = new Joiner(budget, origin);
        foreach (var piece in pieces) joiner.Add(piece);
        return joiner.Result();
    }

    /// <summary>
    /// A left fold of <see cref="JoinTwo"/>, except that runs of strings and runs of lists are collected and built
    /// once, so joining many pieces costs time in proportion to the result rather than to its square.
    /// </summary>
    private sealed class Joiner(ResolutionBudget? budget, HoconOrigin origin)
    {
        private HoconValue? _left;
        private StringBuilder? _text;
        private List<HoconValue>? _items;
        private HoconOrigin _runOrigin = HoconOrigin.Unknown;

        public void Add(HoconValue piece)
        {
            if (_text is not null)
            {
                if (piece.ConcatText is { } more)
                {
                    AppendText(more);
                    return;
                }
                _left = new HoconString(_runOrigin, _text.ToString(), wasQuoted: true);
                _text = null;
            }
            else if (_items is not null)
            {
                if (AsListPiece(piece) is { } list)
                {
                    AppendItems(list);
                    return;
                }
                // Unquoted text (whitespace) next to a list is ignored, as in the reference.
                if (piece is HoconString { WasQuoted: false }) return;
                _left = new HoconList(_runOrigin, _items);
                _items = null;
            }

            if (_left is null)
            {
                _left = piece;
            }
            else if (_left.ConcatText is { } leftText && piece.ConcatText is { } rightText)
            {
                _runOrigin = _left.Origin;
                _text = new StringBuilder();
                AppendText(leftText);
                AppendText(rightText);
                _left = null;
            }
            else if ((_left is HoconList || piece is HoconList) && AsListPiece(_left) is { } leftList && AsListPiece(piece) is { } rightList)
            {
                _runOrigin = _left.Origin;
                _items = [];
                AppendItems(leftList);
                AppendItems(rightList);
                _left = null;
            }
            else
            {
                _left = JoinTwo(_left, piece);
            }
        }

        public HoconValue? Result()
        {
            if (_text is not null) return new HoconString(_runOrigin, _text.ToString(), wasQuoted: true);
            if (_items is not null) return new HoconList(_runOrigin, _items);
            return _left;
        }

        private void AppendText(string text)
        {
            budget?.SpendConcatenatedText(text.Length, origin);
            _text!.Append(text);
        }

        private void AppendItems(HoconList list)
        {
            var items = _items!;
            budget?.CheckListLength((long)items.Count + list.Count, origin);
            items.AddRange(list.Items);
        }

        /// <summary>A list, or an object with numeric keys standing in for one next to a list.</summary>
        private static HoconList? AsListPiece(HoconValue piece) => piece switch
        {
            HoconList list => list,
            HoconObject obj => obj.AsNumericList(),
            _ => null,
        };
    }

    private static HoconValue JoinTwo(HoconValue left, HoconValue right)
    {
        if (left is HoconObject && right is HoconObject) return Merger.Merge(right, left);
        // Unquoted text (whitespace) next to an object or list is ignored, as in the reference.
        if (left is HoconObject or HoconList && right is HoconString { WasQuoted: false }) return left;

        var leftText = left.ConcatText;
        var rightText = right.ConcatText;
        if (leftText is null || rightText is null)
        {
            throw new HoconException(
                $"cannot concatenate {Describe(left)} with {Describe(right)}: objects and lists only concatenate with their own kind",
                leftText is null ? left.Origin : right.Origin);
        }
        return new HoconString(left.Origin, leftText + rightText, wasQuoted: true);
    }

    private static string Describe(HoconValue value) => value switch
    {
        HoconObject => "an object",
        HoconList => "a list",
        HoconString s => $"the string {Syntax.Quoting.Quote(s.Value)}",
        _ => $"the value {value.ConcatText}",
    };
}
