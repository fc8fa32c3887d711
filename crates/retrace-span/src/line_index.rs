/// Byte offset → 1-based line number for one input.
///
/// Lines end at `\n`; a `\r\n` pair counts once. Built in one pass over the input and answered by
/// binary search, so that every span in a report gets its line without rescanning.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineIndex {
    starts: Vec<u32>,
}

impl LineIndex {
    /// Indexes the line starts of `text`.
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(memchr_newlines(text.as_bytes()).map(|i| crate::offset(i + 1)));
        LineIndex { starts }
    }

    /// The 1-based line holding byte `offset`. An offset at or past the end is on the last line.
    pub fn line(&self, offset: u32) -> u32 {
        let index = self.starts.partition_point(|&start| start <= offset);
        crate::offset(index.max(1))
    }

    /// How many lines the input has (a trailing newline does not open a new line of text).
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }
}

fn memchr_newlines(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .map(|(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::LineIndex;

    #[test]
    fn lines_are_one_based() {
        let index = LineIndex::new("a\nbc\r\n\nd");
        assert_eq!(index.line(0), 1);
        assert_eq!(index.line(1), 1);
        assert_eq!(index.line(2), 2);
        assert_eq!(index.line(6), 3);
        assert_eq!(index.line(7), 4);
        assert_eq!(index.line(100), 4);
    }
}
