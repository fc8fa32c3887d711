use std::ops::Range;

use crate::Span;

/// Maps byte offsets of a derived text (the extracted article, its normalized form) back to byte
/// offsets of the input it was derived from.
///
/// The map is a sorted list of pieces. A *copied* piece is a run of bytes taken unchanged, so
/// every offset inside it maps exactly. A *replaced* piece stands for input bytes that became
/// other bytes (`&amp;` → `&`, `“` → `"`, a paragraph break inserted between two text nodes);
/// offsets inside it map to the edges of the input range, so a span never cuts a character or
/// an entity in half.
///
/// Invariant: pieces tile the derived text without gaps, and their input ranges are
/// non-decreasing, so that mapped spans are ordered like the derived spans they come from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OffsetMap {
    pieces: Vec<Piece>,
    len: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Piece {
    out_start: u32,
    out_len: u32,
    in_start: u32,
    in_len: u32,
    copied: bool,
}

impl OffsetMap {
    /// The identity map over a text of `len` bytes.
    pub fn identity(len: u32) -> OffsetMap {
        let mut builder = OffsetMapBuilder::new();
        builder.copied(0, len);
        builder.build()
    }

    /// Length of the derived text this map covers.
    pub fn len(&self) -> u32 {
        self.len
    }

    /// True when the derived text is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn piece_at(&self, out: u32) -> Option<&Piece> {
        let index = self
            .pieces
            .partition_point(|p| p.out_start + p.out_len <= out);
        self.pieces.get(index)
    }

    /// The input offset where the derived byte `out` starts.
    pub fn start(&self, out: u32) -> u32 {
        match self.piece_at(out) {
            Some(p) if p.copied => p.in_start + (out - p.out_start),
            Some(p) => p.in_start,
            None => self.pieces.last().map_or(0, |p| p.in_start + p.in_len),
        }
    }

    /// The input offset where a derived range ending (exclusively) at `out` ends.
    pub fn end(&self, out: u32) -> u32 {
        if out == 0 {
            return self.pieces.first().map_or(0, |p| p.in_start);
        }
        match self.piece_at(out - 1) {
            Some(p) if p.copied => p.in_start + (out - p.out_start),
            Some(p) => p.in_start + p.in_len,
            None => self.pieces.last().map_or(0, |p| p.in_start + p.in_len),
        }
    }

    /// Maps a derived range to the input span it came from.
    pub fn span(&self, range: Range<u32>) -> Span {
        let start = self.start(range.start);
        let end = self.end(range.end).max(start);
        Span::new(start, end)
    }

    /// Chains two maps: `self` maps text C to text B and `inner` maps B to input A; the result
    /// maps C straight to A.
    pub fn then(&self, inner: &OffsetMap) -> OffsetMap {
        let mut builder = OffsetMapBuilder::new();
        for piece in &self.pieces {
            if piece.copied {
                // A copied run of B may cross several pieces of `inner`: split it along them.
                let mut b = piece.in_start;
                let b_end = piece.in_start + piece.in_len;
                while b < b_end {
                    let Some(q) = inner.piece_at(b) else { break };
                    let q_end = q.out_start + q.out_len;
                    let run_end = q_end.min(b_end);
                    if q.copied {
                        builder.copied(q.in_start + (b - q.out_start), run_end - b);
                    } else {
                        // Only part of a replaced piece may be covered; keep it whole in A.
                        builder.replaced(q.in_start..q.in_start + q.in_len, run_end - b);
                    }
                    b = run_end;
                }
                if b < b_end {
                    let at = inner.end(inner.len());
                    builder.replaced(at..at, b_end - b);
                }
            } else {
                let range = if piece.in_len == 0 {
                    let at = inner.end(piece.in_start);
                    at..at
                } else {
                    let start = inner.start(piece.in_start);
                    start..inner.end(piece.in_start + piece.in_len).max(start)
                };
                builder.replaced(range, piece.out_len);
            }
        }
        builder.build()
    }
}

/// Builds an [`OffsetMap`] while a derived text is written, one piece after another.
#[derive(Debug, Default)]
pub struct OffsetMapBuilder {
    pieces: Vec<Piece>,
    out: u32,
}

impl OffsetMapBuilder {
    /// An empty map.
    pub fn new() -> OffsetMapBuilder {
        OffsetMapBuilder::default()
    }

    /// `len` bytes copied unchanged from input offset `in_start`.
    pub fn copied(&mut self, in_start: u32, len: u32) {
        if len == 0 {
            return;
        }
        if let Some(last) = self.pieces.last_mut()
            && last.copied
            && last.in_start + last.in_len == in_start
        {
            last.out_len += len;
            last.in_len += len;
        } else {
            self.push(Piece {
                out_start: self.out,
                out_len: len,
                in_start,
                in_len: len,
                copied: true,
            });
        }
        self.out += len;
    }

    /// `out_len` derived bytes that stand for the input bytes `input` (which may be empty, for
    /// text inserted between two input runs).
    pub fn replaced(&mut self, input: Range<u32>, out_len: u32) {
        if out_len == 0 {
            return;
        }
        let piece = Piece {
            out_start: self.out,
            out_len,
            in_start: input.start,
            in_len: input.end - input.start,
            copied: false,
        };
        self.push(piece);
        self.out += out_len;
    }

    fn push(&mut self, mut piece: Piece) {
        // Keep input positions non-decreasing even if a caller inserts text "before" the last
        // copied run; spans must stay ordered.
        if let Some(last) = self.pieces.last() {
            let floor = if piece.in_len == 0 {
                last.in_start + last.in_len
            } else {
                last.in_start
            };
            if piece.in_start < floor {
                piece.in_start = floor;
            }
        }
        self.pieces.push(piece);
    }

    /// Length of the derived text written so far.
    pub fn len(&self) -> u32 {
        self.out
    }

    /// True when nothing was written yet.
    pub fn is_empty(&self) -> bool {
        self.out == 0
    }

    /// The finished map.
    pub fn build(self) -> OffsetMap {
        OffsetMap {
            pieces: self.pieces,
            len: self.out,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copied_and_replaced() {
        // input: "a &amp; b" -> derived "a & b"
        let mut builder = OffsetMapBuilder::new();
        builder.copied(0, 2);
        builder.replaced(2..7, 1);
        builder.copied(7, 2);
        let map = builder.build();
        assert_eq!(map.span(0..1), Span::new(0, 1));
        assert_eq!(map.span(2..3), Span::new(2, 7));
        assert_eq!(map.span(0..5), Span::new(0, 9));
        assert_eq!(map.span(4..5), Span::new(8, 9));
    }

    #[test]
    fn chaining_maps() {
        // input "xx<b>ab</b>cd": extracted "abcd" (two runs), then normalized "AB-cd"
        let mut extract = OffsetMapBuilder::new();
        extract.copied(5, 2);
        extract.copied(11, 2);
        let extract = extract.build();
        let mut norm = OffsetMapBuilder::new();
        norm.copied(0, 2);
        norm.replaced(2..2, 1);
        norm.copied(2, 2);
        let chained = norm.build().then(&extract);
        assert_eq!(chained.span(0..2), Span::new(5, 7));
        assert_eq!(chained.span(3..5), Span::new(11, 13));
        assert_eq!(chained.span(1..4), Span::new(6, 12));
    }

    proptest::proptest! {
        #[test]
        fn identity_maps_every_range(len in 0u32..200, a in 0u32..200, b in 0u32..200) {
            let map = OffsetMap::identity(len);
            let (s, e) = (a.min(b).min(len), a.max(b).min(len));
            proptest::prop_assert_eq!(map.span(s..e), Span::new(s, e));
        }
    }
}
