//! CSV/TSV rows, streamed with a bound on each row's size.
//!
//! In: a byte stream. Out: one row at a time (its fields as text, and the line it starts on),
//! or why a row cannot be used: more than `--max-doc-size` bytes (skipped without being held in
//! memory — the parser keeps going and drops the row's bytes as they come), not UTF-8 text, or a
//! read error (which ends the file). Built on `csv-core`, the parser under the `csv` crate, with
//! the same quoting rules.

use std::io::{BufRead, BufReader, Read};

/// One row, or why not.
#[derive(Debug, PartialEq)]
pub enum Row {
    Fields(Vec<String>),
    /// Bytes of field content the row had.
    TooLarge(u64),
    /// Not UTF-8 text; the field number (1-based).
    NotText(usize),
    /// The input could not be read; nothing more comes from it.
    Failed(String),
}

/// Streams rows of one input.
pub struct Rows {
    input: BufReader<Box<dyn Read + Send>>,
    parser: csv_core::Reader,
    max: u64,
    fields: Vec<u8>,
    ends: Vec<usize>,
    done: bool,
    /// 1 + the line feeds consumed so far.
    line: u64,
}

impl Rows {
    pub fn new(input: Box<dyn Read + Send>, delimiter: u8, quoting: bool, max: u64) -> Rows {
        Rows {
            input: BufReader::with_capacity(1 << 16, input),
            parser: csv_core::ReaderBuilder::new()
                .delimiter(delimiter)
                .quoting(quoting)
                .build(),
            max,
            fields: vec![0; 4096],
            ends: vec![0; 64],
            done: false,
            line: 1,
        }
    }

    /// The size limit of a row, in bytes.
    pub fn max(&self) -> u64 {
        self.max
    }

    /// The next row and the line it starts on, or `None` at the end.
    pub fn next_row(&mut self) -> Option<(u64, Row)> {
        use csv_core::ReadRecordResult::*;
        if self.done {
            return None;
        }
        // Blank lines before a row are skipped here, so the row's first line is known.
        loop {
            match self.input.fill_buf() {
                Ok([b'\n', ..]) => self.line += 1,
                Ok([b'\r', ..]) => {}
                _ => break,
            }
            self.input.consume(1);
        }
        let line = self.line;
        let (mut out, mut nends, mut size) = (0usize, 0usize, 0u64);
        let mut too_large = false;
        loop {
            let input = match self.input.fill_buf() {
                Ok(input) => input,
                Err(e) => {
                    self.done = true;
                    return Some((line, Row::Failed(e.to_string())));
                }
            };
            let (result, read, wrote, ended) =
                self.parser
                    .read_record(input, &mut self.fields[out..], &mut self.ends[nends..]);
            self.line += input[..read].iter().filter(|&&b| b == b'\n').count() as u64;
            self.input.consume(read);
            size += wrote as u64;
            out += wrote;
            nends += ended;
            match result {
                InputEmpty => {}
                OutputFull if size > self.max => {
                    // Keep parsing to the end of the row, dropping its bytes.
                    too_large = true;
                    out = 0;
                }
                OutputFull => {
                    let grown = (self.fields.len() * 2).min(self.max as usize + 4096);
                    self.fields.resize(grown.max(self.fields.len() + 1), 0);
                }
                OutputEndsFull => {
                    if too_large {
                        nends = 0;
                    } else {
                        self.ends.resize(self.ends.len() * 2, 0);
                    }
                }
                Record if too_large || size > self.max => return Some((line, Row::TooLarge(size))),
                Record => return Some((line, self.row(nends))),
                End => {
                    self.done = true;
                    return None;
                }
            }
        }
    }

    fn row(&self, nends: usize) -> Row {
        let mut fields = Vec::with_capacity(nends);
        let mut start = 0;
        for (i, &end) in self.ends[..nends].iter().enumerate() {
            match std::str::from_utf8(&self.fields[start..end]) {
                Ok(text) => fields.push(text.to_string()),
                Err(_) => return Row::NotText(i + 1),
            }
            start = end;
        }
        Row::Fields(fields)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(input: &'static [u8], quoting: bool, max: u64) -> Vec<(u64, Row)> {
        let mut r = Rows::new(Box::new(input), b',', quoting, max);
        std::iter::from_fn(|| r.next_row()).collect()
    }

    fn fields(items: &[&str]) -> Row {
        Row::Fields(items.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn rows_table() {
        assert_eq!(
            rows(
                b"a,b\r\n\"x, \"\"y\"\"\",\"two\nlines\"\n\nlast,\xff\nend",
                true,
                100
            ),
            [
                (1, fields(&["a", "b"])),
                (2, fields(&["x, \"y\"", "two\nlines"])),
                (5, Row::NotText(2)),
                (6, fields(&["end"])),
            ]
        );
        assert_eq!(
            rows(b"a,\"b\n", false, 100),
            [(1, fields(&["a", "\"b"]))],
            "no quoting (TSV)"
        );
    }

    #[test]
    fn a_huge_row_is_skipped_without_holding_it() {
        let mut input = b"id,text\n1,\"".to_vec();
        input.extend(std::iter::repeat_n(b'x', 100_000));
        input.extend(b"\"\n2,ok\n");
        let mut r = Rows::new(Box::new(std::io::Cursor::new(input)), b',', true, 1000);
        let got: Vec<(u64, Row)> = std::iter::from_fn(|| r.next_row()).collect();
        assert_eq!(
            got,
            [
                (1, fields(&["id", "text"])),
                (2, Row::TooLarge(100_001)),
                (3, fields(&["2", "ok"])),
            ]
        );
        assert!(
            r.fields.len() <= 1000 + 4096,
            "buffer grew to {}",
            r.fields.len()
        );
    }
}
