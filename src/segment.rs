//! Tokens and sentences of a tagged document, for the exports that need them: CoNLL (a token per
//! line, a blank line per sentence) and the sentence co-occurrence counts.
//!
//! In: the document text and its mentions. Out: tokens as byte ranges, in order, each inside at
//! most one mention, and sentences as ranges of tokens. Guarantees: a mention is always a whole
//! number of tokens (its span is never split by a token edge it does not have, nor merged with
//! its surroundings), and a sentence never ends inside a mention.
//!
//! The rules are plain and predictable rather than linguistic:
//! - tokens are the whitespace-separated pieces, cut at mention edges; outside mentions,
//!   punctuation at the start or end of a piece is split off a character at a time (`"Iran,"` →
//!   `"`, `Iran`, `,`), except an apostrophe before letters (`’s`) and the period of an
//!   abbreviation (`Mr.`, `e.g.`, single-letter initials);
//! - a sentence ends after `.`, `!`, `?` or `…` (with any closing quotes or brackets after it)
//!   when the next token does not start with a lowercase letter, and at a line break unless the
//!   next line starts with a lowercase letter (a hard-wrapped sentence) — paragraphs, headlines
//!   and list items are sentences of their own.
//!
//! [`mention_sentences`] answers the one question co-occurrence asks (which mentions share a
//! sentence) without cutting the whole document: only the stretches between two consecutive
//! mentions that hold a `.`, `!`, `?`, `…` or line break are tokenized.

use crate::document::Mention;
use std::ops::Range;

/// One token: a byte range of the text, and the mention it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    /// Index into the mentions, when the token is part of one.
    pub mention: Option<usize>,
}

/// A document cut into tokens and sentences.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segmented {
    pub tokens: Vec<Token>,
    /// Each sentence as a range of indices into `tokens`; together they cover every token.
    pub sentences: Vec<Range<usize>>,
}

/// Abbreviations whose period stays on the word and does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "adm", "apr", "aug", "capt", "co", "col", "corp", "dec", "dr", "feb", "gen", "gov", "inc",
    "jan", "jr", "jul", "jun", "lt", "maj", "mr", "mrs", "ms", "mt", "no", "nov", "oct", "prof",
    "rep", "rev", "sen", "sep", "sept", "sgt", "sr", "st", "vs",
];

/// Cuts `text` into tokens and sentences; `mentions` are in order and do not overlap, with byte
/// offsets into `text`.
pub fn segment(text: &str, mentions: &[Mention]) -> Segmented {
    let tokens = tokenize(text, 0..text.len(), mentions);
    let sentences = sentences(text, &tokens);
    Segmented { tokens, sentences }
}

/// A sentence number for each mention (same arguments as [`segment`]): two mentions get the
/// same number exactly when [`segment`] puts them in one sentence, and numbers never fall.
pub fn mention_sentences(text: &str, mentions: &[Mention]) -> Vec<usize> {
    let mut out = Vec::with_capacity(mentions.len());
    let (mut sentence, mut tokens) = (0, Vec::new());
    for i in 0..mentions.len() {
        if i > 0 && sentence_ends_between(text, &mentions[i - 1..=i], &mut tokens) {
            sentence += 1;
        }
        out.push(sentence);
    }
    out
}

/// Whether a sentence ends between two consecutive mentions (`pair`), as [`segment`] cuts:
/// the tokens from the first mention to the end of the second are the same as in the whole
/// text (both are token edges), and a mention resets the sentence rules' state. Tokens are cut
/// a piece at a time, up to the first sentence end, into `tokens` (reused).
fn sentence_ends_between(text: &str, pair: &[Mention], tokens: &mut Vec<Token>) -> bool {
    let gap_start = pair[0].byte_end;
    let gap = &text[gap_start..pair[1].byte_start];
    // A sentence ends only after a terminal token or at a line break.
    let first_end = gap
        .bytes()
        .position(|b| matches!(b, b'.' | b'!' | b'?' | b'\n'));
    let Some(first_end) = first_end.into_iter().chain(gap.find('…')).min() else {
        return false;
    };
    // Before the piece that holds (or precedes) the first possible end, no token is a terminal
    // and none is followed by a line break: the rules read them without effect. Starting at
    // that piece (a token edge) cuts the same tokens from there on.
    let words = gap[..first_end].trim_end_matches(char::is_whitespace);
    let from = match words.rfind(char::is_whitespace) {
        _ if words.is_empty() => pair[0].byte_start,
        Some(space) => gap_start + space + first_char_len(&words[space..]),
        None => gap_start,
    };
    let mut rules = SentenceRules::default();
    let (mut next_mention, mut done) = (0, 0);
    tokens.clear();
    for (chunk_start, chunk) in chunks(text, from..pair[1].byte_end) {
        chunk_tokens(text, chunk_start, chunk, pair, &mut next_mention, tokens);
        while let [token, next, ..] = &tokens[done..] {
            if token.mention == Some(1) {
                return false;
            }
            if rules.ends_after(text, token, next) {
                return true;
            }
            done += 1;
        }
    }
    false
}

/// The length in bytes of the first character of `s` (not empty).
fn first_char_len(s: &str) -> usize {
    s.chars().next().map_or(0, char::len_utf8)
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c)
}

/// The tokens of `text[range]`, whose ends are token edges (the text's ends or mention edges).
fn tokenize(text: &str, range: Range<usize>, mentions: &[Mention]) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut next_mention = 0;
    for (chunk_start, chunk) in chunks(text, range) {
        chunk_tokens(
            text,
            chunk_start,
            chunk,
            mentions,
            &mut next_mention,
            &mut tokens,
        );
    }
    tokens
}

/// The tokens of one whitespace-separated piece, cut at mention edges; `next_mention` is the
/// first mention that may still lie ahead.
fn chunk_tokens(
    text: &str,
    chunk_start: usize,
    chunk: &str,
    mentions: &[Mention],
    next_mention: &mut usize,
    tokens: &mut Vec<Token>,
) {
    let chunk_end = chunk_start + chunk.len();
    let mut at = chunk_start;
    while at < chunk_end {
        while *next_mention < mentions.len() && mentions[*next_mention].byte_end <= at {
            *next_mention += 1;
        }
        match mentions.get(*next_mention) {
            Some(m) if m.byte_start <= at => {
                let end = m.byte_end.min(chunk_end);
                tokens.push(Token {
                    start: at,
                    end,
                    mention: Some(*next_mention),
                });
                at = end;
            }
            m => {
                let end = m.map_or(chunk_end, |m| m.byte_start.min(chunk_end));
                plain_tokens(text, at, end, tokens);
                at = end;
            }
        }
    }
}

/// The whitespace-separated pieces of `text[range]`, with their byte offsets in `text`.
fn chunks(text: &str, range: Range<usize>) -> impl Iterator<Item = (usize, &str)> {
    text[range]
        .split(char::is_whitespace)
        .filter(|piece| !piece.is_empty())
        .map(move |piece| (piece.as_ptr() as usize - text.as_ptr() as usize, piece))
}

/// Tokens of a piece outside mentions: edge punctuation split off, the core kept whole.
fn plain_tokens(text: &str, start: usize, end: usize, out: &mut Vec<Token>) {
    let piece = &text[start..end];
    // A piece that starts and ends with an ASCII letter or digit is one token.
    let bytes = piece.as_bytes();
    if bytes.first().is_some_and(u8::is_ascii_alphanumeric)
        && bytes.last().is_some_and(u8::is_ascii_alphanumeric)
    {
        out.push(Token {
            start,
            end,
            mention: None,
        });
        return;
    }
    let mut lead = 0;
    let mut chars = piece.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let apostrophe_s =
            matches!(c, '\'' | '’') && chars.peek().is_some_and(|&(_, n)| n.is_alphabetic());
        if is_word_char(c) || apostrophe_s {
            break;
        }
        lead = i + c.len_utf8();
    }
    let mut trail = piece.len();
    for (i, c) in piece[lead..].char_indices().rev() {
        if is_word_char(c) {
            break;
        }
        trail = lead + i;
    }
    // Keep an abbreviation's period on the word.
    let core = &piece[lead..trail];
    if piece[trail..].starts_with('.') && is_abbreviation(core) {
        trail += 1;
    }
    let single = |from: usize, to: usize, out: &mut Vec<Token>| {
        for (i, c) in piece[from..to].char_indices() {
            out.push(Token {
                start: start + from + i,
                end: start + from + i + c.len_utf8(),
                mention: None,
            });
        }
    };
    single(0, lead, out);
    if trail > lead {
        out.push(Token {
            start: start + lead,
            end: start + trail,
            mention: None,
        });
    }
    single(trail.max(lead), piece.len(), out);
}

fn is_abbreviation(core: &str) -> bool {
    let mut chars = core.chars();
    let single_letter =
        matches!((chars.next(), chars.next()), (Some(c), None) if c.is_alphabetic());
    single_letter || core.contains('.') || ABBREVIATIONS.contains(&core.to_lowercase().as_str())
}

fn sentences(text: &str, tokens: &[Token]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut rules = SentenceRules::default();
    for (i, pair) in tokens.windows(2).enumerate() {
        if rules.ends_after(text, &pair[0], &pair[1]) {
            out.push(start..i + 1);
            start = i + 1;
        }
    }
    if start < tokens.len() {
        out.push(start..tokens.len());
    }
    out
}

/// The sentence rules, read a token at a time.
#[derive(Default)]
struct SentenceRules {
    /// The tokens since the last sentence end are a terminal and closing marks after it.
    after_terminal: bool,
}

impl SentenceRules {
    /// Whether a sentence ends after `token`, which `next` follows; call it for every token in
    /// order.
    fn ends_after(&mut self, text: &str, token: &Token, next: &Token) -> bool {
        let word = &text[token.start..token.end];
        if token.mention.is_none() {
            if matches!(word, "." | "!" | "?" | "…") {
                self.after_terminal = true;
            } else if !(self.after_terminal && is_closing(word)) {
                self.after_terminal = false;
            }
        } else {
            self.after_terminal = false;
        }
        if token.mention.is_some() && token.mention == next.mention {
            return false;
        }
        let next_word = &text[next.start..next.end];
        let lower_next = next_word.chars().next().is_some_and(char::is_lowercase);
        let line_break = text[token.end..next.start].contains('\n');
        let closing_next = next.mention.is_none() && is_closing(next_word);
        let ends = if self.after_terminal {
            !lower_next && !closing_next && !matches!(next_word, "." | "!" | "?" | "…")
        } else {
            line_break && !lower_next
        };
        if ends {
            self.after_terminal = false;
        }
        ends
    }
}

fn is_closing(word: &str) -> bool {
    matches!(word, "\"" | "'" | "’" | "”" | ")" | "]" | "»")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Pipeline;
    use std::sync::OnceLock;

    /// The sentence (index into `sentences`) of each mention, read off the whole segmentation.
    fn sentence_of_each_mention(seg: &Segmented, mentions: usize) -> Vec<usize> {
        let mut out = vec![0; mentions];
        for (s, range) in seg.sentences.iter().enumerate() {
            for token in &seg.tokens[range.clone()] {
                if let Some(m) = token.mention {
                    out[m] = s;
                }
            }
        }
        out
    }

    fn pipeline() -> &'static Pipeline {
        static P: OnceLock<Pipeline> = OnceLock::new();
        P.get_or_init(|| Pipeline::bundled().unwrap())
    }

    /// Sentences as lists of tokens, mention tokens marked with `[…]`.
    fn show(text: &str) -> Vec<String> {
        let doc = crate::Document::new("t", text);
        let analysis = pipeline().analyze(&doc);
        let seg = segment(text, &analysis.mentions);
        seg.sentences
            .iter()
            .map(|range| {
                seg.tokens[range.clone()]
                    .iter()
                    .map(|t| {
                        let w = &text[t.start..t.end];
                        match t.mention {
                            Some(m) => format!("[{m}:{w}]"),
                            None => w.to_string(),
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    #[test]
    fn tokens_and_sentences() {
        let cases: &[(&str, &[&str])] = &[
            (
                "North Korea fired a Hwasong-15. Japan protested!",
                &[
                    "[0:North] [0:Korea] fired a [1:Hwasong-15] .",
                    "[2:Japan] protested !",
                ],
            ),
            (
                "\"Iran’s move,\" said Mr. Smith, \"was late.\" Then (Iraq) spoke.",
                &[
                    "\" [0:Iran] ’s move , \" said Mr. Smith , \" was late . \"",
                    "Then ( [1:Iraq] ) spoke .",
                ],
            ),
            (
                "The U.S. said e.g. that.\nHEADLINE WITHOUT STOP\n\n- a list item",
                &[
                    "The [0:U.S.] said e.g. that .",
                    "HEADLINE WITHOUT STOP",
                    "- a list item",
                ],
            ),
            (
                "A hard-wrapped sentence about\nTürkiye and\nits drones.",
                &[
                    "A hard-wrapped sentence about",
                    "[0:Türkiye] and\nits [1:drones] .",
                ],
            ),
            ("U.S.-led talks", &["[0:U.S.] - led talks"]),
            ("", &[]),
            ("  \n ", &[]),
        ];
        for (text, want) in cases {
            let want: Vec<String> = want.iter().map(|s| s.replace('\n', " ")).collect();
            assert_eq!(show(text), want, "{text:?}");
        }
    }

    /// Pieces glued into test texts: names, abbreviations, terminals, quotes, line breaks.
    const PIECES: &[&str] = &[
        "Iran", "Iraq", "North", "Korea", "Japan", "U.S.", "Türkiye", "drones", "Mr.", "e.g.",
        "said", "the", "Talks", "B", ".", "!", "?", "…", ",", "\"", "’", "’s", ")", "(", "-", " ",
        " ", " ", "\n", "\n\n",
    ];

    proptest::proptest! {
        #[test]
        fn mention_sentences_group_mentions_as_segment_does(
            pieces in proptest::collection::vec(proptest::sample::select(PIECES), 0..60),
        ) {
            let text = pieces.concat();
            let doc = crate::Document::new("t", &text);
            let mentions = pipeline().analyze(&doc).mentions;
            let whole = sentence_of_each_mention(&segment(&text, &mentions), mentions.len());
            let fast = mention_sentences(&text, &mentions);
            proptest::prop_assert_eq!(fast.len(), mentions.len());
            for i in 1..mentions.len() {
                proptest::prop_assert!(fast[i] >= fast[i - 1]);
                proptest::prop_assert_eq!(whole[i] == whole[i - 1], fast[i] == fast[i - 1], "{:?}", text);
            }
        }
    }

    #[test]
    fn a_mention_across_a_line_break_stays_in_one_sentence() {
        let text = "Talks with North\nKorea resumed.";
        let doc = crate::Document::new("t", text);
        let analysis = pipeline().analyze(&doc);
        assert_eq!(analysis.mentions[0].text, "North\nKorea");
        let seg = segment(text, &analysis.mentions);
        assert_eq!(seg.sentences.len(), 1);
        assert_eq!(seg.sentences[0], 0..6);
        assert_eq!(sentence_of_each_mention(&seg, 1), [0]);
        assert_eq!(mention_sentences(text, &analysis.mentions), [0]);
    }
}
