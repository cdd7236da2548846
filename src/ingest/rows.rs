//! CSV/TSV rows, streamed with a bound on each row's size.
//!
//! In: a byte stream. Out: one row at a time (its fields as text, and the line it starts on),
//! or why a row cannot be used: more than `--max-doc-size` bytes (skipped without being held in
//! memory — the parser keeps going and drops the row's bytes as they come), not UTF-8 text, a
//! broken quote, or a read error (the last two end the file). Built on `csv-core`, the parser under
//! the `csv` crate, with the same quoting rules, plus one strictness `csv-core` lacks: a quote left
//! open to the end of the file, or text right after a closing quote, is an error naming the line
//! where the quote opened — otherwise one stray `"` silently merges every following row into one.

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
    /// A quoted field that never closes properly: the line the quote opened on, and why. Nothing
    /// more is read from the input (its rows cannot be told apart).
    BrokenQuote {
        opened: u64,
        reason: String,
    },
}

/// Where the strict quote check is inside a row.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Quote {
    /// At the start of a field.
    FieldStart,
    /// In a field that did not start with a quote.
    Bare,
    /// Inside a quoted field opened on this line.
    Open(u64),
    /// Just after a quote inside a quoted field opened on this line: a closing quote, or the first
    /// half of `""`.
    MaybeClosed(u64),
}

/// Streams rows of one input.
pub struct Rows {
    input: BufReader<Box<dyn Read + Send>>,
    parser: csv_core::Reader,
    max: u64,
    fields: Vec<u8>,
    ends: Vec<usize>,
    done: bool,
    scan: Scan,
}

/// Follows the bytes the parser consumed: counts lines, and checks quotes strictly.
struct Scan {
    /// 1 + the line feeds consumed so far.
    line: u64,
    /// The strict quote check (CSV only: `None` without quoting).
    quote: Option<Quote>,
    delimiter: u8,
    /// A broken quote seen in the current row: the line it opened on, and why.
    broken: Option<(u64, String)>,
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
            scan: Scan {
                line: 1,
                quote: quoting.then_some(Quote::FieldStart),
                delimiter,
                broken: None,
            },
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
                Ok([b'\n', ..]) => self.scan.line += 1,
                Ok([b'\r', ..]) => {}
                _ => break,
            }
            self.input.consume(1);
        }
        let line = self.scan.line;
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
            if input.is_empty() {
                self.scan.check_end();
            }
            self.scan.bytes(&input[..read]);
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
                Record if self.scan.broken.is_some() => {
                    self.done = true;
                    let (opened, reason) = self.scan.broken.take().expect("checked");
                    return Some((line, Row::BrokenQuote { opened, reason }));
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

impl Scan {
    fn bytes(&mut self, bytes: &[u8]) {
        for &b in bytes {
            if let Some(state) = self.quote {
                self.quote = Some(self.step(state, b));
            }
            if b == b'\n' {
                self.line += 1;
            }
        }
    }

    fn step(&mut self, state: Quote, b: u8) -> Quote {
        let ends_field = b == self.delimiter || b == b'\n' || b == b'\r';
        match state {
            Quote::FieldStart | Quote::Bare if ends_field => Quote::FieldStart,
            Quote::FieldStart if b == b'"' => Quote::Open(self.line),
            Quote::FieldStart | Quote::Bare => Quote::Bare,
            Quote::Open(at) if b == b'"' => Quote::MaybeClosed(at),
            Quote::Open(at) => Quote::Open(at),
            Quote::MaybeClosed(at) if b == b'"' => Quote::Open(at),
            Quote::MaybeClosed(_) if ends_field => Quote::FieldStart,
            Quote::MaybeClosed(at) => {
                if self.broken.is_none() {
                    let closed = if at == self.line {
                        String::new()
                    } else {
                        format!(" and closed on line {}", self.line)
                    };
                    let reason = format!(
                        "the quote opened on line {at}{closed} is followed by text, not by a \
                         delimiter or the end of the row: an unbalanced quote; \
                         the rest of the file is not read"
                    );
                    self.broken = Some((at, reason));
                }
                Quote::Bare
            }
        }
    }

    /// At the end of the input: a quote still open never closed.
    fn check_end(&mut self) {
        if let (Some(Quote::Open(at)), None) = (self.quote, &self.broken) {
            let reason = format!(
                "unterminated quote: the quoted field opened on line {at} never closes; \
                 the file is not read from that line on"
            );
            self.broken = Some((at, reason));
        }
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

    #[test]
    fn a_broken_quote_ends_the_file_at_the_line_it_opened() {
        let reason = |r: &Row| match r {
            Row::BrokenQuote { opened, reason } => format!("{opened}: {reason}"),
            other => format!("{other:?}"),
        };
        let got = rows(
            b"id,text\nr1,ok\nr2,\"Xi said\nr3,more\nr4,rows\n",
            true,
            1000,
        );
        assert_eq!(got.len(), 3);
        assert_eq!(got[1], (2, fields(&["r1", "ok"])));
        assert_eq!(
            (got[2].0, reason(&got[2].1)),
            (
                3,
                "3: unterminated quote: the quoted field opened on line 3 never closes; \
                 the file is not read from that line on"
                    .into()
            )
        );
        let got = rows(b"id,text\nr2,\"Xi said\nr3,\"more\"\nr4,x\n", true, 1000);
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(reason(&got[1].1).starts_with("2: the quote opened on line 2 and closed on line 3"));
        assert_eq!(
            rows(b"a,\"b \"\"c\"\"\",\"\"\r\nd,e\n", true, 100),
            [(1, fields(&["a", "b \"c\"", ""])), (2, fields(&["d", "e"]))],
            "doubled quotes and empty quoted fields are fine"
        );
    }
}
