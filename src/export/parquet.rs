//! `--format parquet`: `documents.parquet`, `mentions.parquet`, `topics.parquet` and
//! `entities.parquet`, typed columns for data tools (pandas, Polars, DuckDB, Spark).
//!
//! The tables carry the columns of the CSV tables, typed: offsets and counts are `int64`, scores
//! `double`, `in_office` a nullable `boolean`, and a cell that is a list in CSV (`attributes`,
//! the per-type entity lists, topics, evidence) a list of structs. Columns are documented in
//! `docs/output.md`. Rows are buffered per table and written as one row group every
//! [`ROW_GROUP_ROWS`] rows, so memory stays bounded whatever the size of the run; the entity
//! table is written when the run ends, from the corpus totals. Each file is written under a
//! temporary name and renamed into place when the run ends (`NAME.partial` if interrupted).
//! The `--resume` state keeps no copy of rows, so with Parquet a resumed run processes every
//! document again.

use super::aggregate::Aggregates;
use super::rows::{self, Cell, ENTITY_COLUMNS};
use super::{AtomicFile, Context, Ending, Output, Rendered, Writer};
use crate::document::{Analysis, Document};
use arrow_array::builder::{BooleanBuilder, Float64Builder, Int64Builder, StringBuilder};
use arrow_array::{ArrayRef, ListArray, RecordBatch, StructArray};
use arrow_buffer::OffsetBuffer;
use arrow_schema::{DataType, Field, FieldRef, Fields, Schema, SchemaRef};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;
use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Rows per row group (and per batch held in memory before it is written), per table.
pub const ROW_GROUP_ROWS: usize = 65_536;

/// `--format parquet`.
pub struct Parquet;

impl Output for Parquet {
    fn name(&self) -> &'static str {
        "parquet"
    }
    fn help(&self) -> &'static str {
        "documents.parquet, mentions.parquet, topics.parquet, entities.parquet: typed columns \
         (needs --out)"
    }
    fn outputs(&self) -> &'static [&'static str] {
        &[
            "documents.parquet",
            "mentions.parquet",
            "topics.parquet",
            "entities.parquet",
        ]
    }
    fn needs_folder(&self) -> bool {
        true
    }
    /// The state keeps no copy of rows (it would grow with the output): with Parquet every
    /// document is analyzed again.
    fn carries(&self) -> bool {
        false
    }
    fn render(&self, ctx: &Context, doc: &Document, analysis: &Analysis) -> Rendered {
        Rendered::rows(render(doc, analysis, ctx))
    }
    fn create(&self, dir: Option<&Path>, ctx: &Context) -> io::Result<Box<dyn Writer>> {
        let dir = dir.ok_or_else(|| super::needs_folder(self))?;
        Ok(Box::new(ParquetWriter::create(dir, ctx, ROW_GROUP_ROWS)?))
    }
}

/// One document's rows in the three streamed tables.
#[derive(Debug, Clone, PartialEq)]
pub struct DocRows {
    document: DocumentRow,
    mentions: Vec<MentionRow>,
    topics: Vec<TopicRow>,
}

#[derive(Debug, Clone, PartialEq)]
struct DocumentRow {
    doc_id: String,
    path: Option<String>,
    title: Option<String>,
    date: Option<String>,
    encoding: String,
    chars: i64,
    mentions: i64,
    /// Per entity type: (entity id, mentions), most mentioned first.
    per_type: Vec<Vec<(String, i64)>>,
    /// (tag, score), highest first.
    topics: Vec<(String, f64)>,
    meta: Option<String>,
    meta_columns: Vec<Option<String>>,
}

#[derive(Debug, Clone, PartialEq)]
struct MentionRow {
    kind: String,
    entity_id: String,
    name: String,
    text: String,
    offsets: [i64; 4],
    form: String,
    in_office: Option<bool>,
    role: Option<String>,
    attributes: Vec<(String, String)>,
    context: String,
}

#[derive(Debug, Clone, PartialEq)]
struct TopicRow {
    tag: String,
    /// Whose vocabulary the tag is (`usip`, `entopic`); none for a topic model's tags.
    scheme: Option<String>,
    score: f64,
    /// (term, count, contribution rounded to 4 decimals), strongest first.
    evidence: Vec<(String, i64, f64)>,
}

fn render(doc: &Document, analysis: &Analysis, ctx: &Context) -> DocRows {
    let mut per_type: BTreeMap<(&str, &str), i64> = BTreeMap::new();
    for m in &analysis.mentions {
        *per_type.entry((&m.entity.kind, &m.entity.id)).or_default() += 1;
    }
    let per_type = ctx
        .types
        .iter()
        .map(|t| {
            let mut counts: Vec<(String, i64)> = per_type
                .iter()
                .filter(|((k, _), _)| k == t)
                .map(|((_, id), n)| (id.to_string(), *n))
                .collect();
            counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            counts
        })
        .collect();
    let document = DocumentRow {
        doc_id: doc.id.clone(),
        path: doc.path.clone(),
        title: doc.title.clone(),
        date: doc.date.clone(),
        encoding: doc.encoding.clone(),
        chars: doc.text.chars().count() as i64,
        mentions: analysis.mentions.len() as i64,
        per_type,
        topics: analysis
            .topics
            .iter()
            .map(|t| (t.tag.clone(), t.score))
            .collect(),
        meta: (!doc.meta.is_empty())
            .then(|| serde_json::Value::Object(doc.meta.clone()).to_string()),
        meta_columns: (ctx.options.meta_columns.iter())
            .map(|k| rows::meta_value(&doc.meta, k))
            .collect(),
    };
    let mentions = analysis
        .mentions
        .iter()
        .map(|m| MentionRow {
            kind: m.entity.kind.clone(),
            entity_id: m.entity.id.clone(),
            name: m.entity.name.clone(),
            text: m.text.clone(),
            offsets: [m.start, m.end, m.byte_start, m.byte_end].map(|n| n as i64),
            form: m.form.to_string(),
            in_office: m.role_on_date.as_ref().map(Option::is_some),
            role: m.role_on_date.clone().flatten(),
            attributes: m.entity.attributes.clone().into_iter().collect(),
            context: rows::context(&doc.text, m.byte_start, m.byte_end),
        })
        .collect();
    let topics = analysis
        .topics
        .iter()
        .map(|t| TopicRow {
            tag: t.tag.clone(),
            scheme: t.scheme.as_deref().map(str::to_string),
            score: t.score,
            evidence: (t.evidence.iter())
                .map(|e| {
                    let contribution = (e.contribution * 1e4).round() / 1e4;
                    (e.term.clone(), e.count as i64, contribution)
                })
                .collect(),
        })
        .collect();
    DocRows {
        document,
        mentions,
        topics,
    }
}

/// A field of a schema.
fn field(name: &str, kind: DataType, nullable: bool) -> Field {
    Field::new(name, kind, nullable)
}

/// `list<struct<fields>>`, never null (an empty list when there is nothing).
fn list_of(fields: Vec<Field>) -> DataType {
    DataType::List(Arc::new(field(
        "item",
        DataType::Struct(Fields::from(fields)),
        false,
    )))
}

/// A list column of structs from the lengths of each row's list and the struct fields' columns.
fn list_column(kind: &DataType, lengths: Vec<usize>, children: Vec<ArrayRef>) -> ArrayRef {
    let DataType::List(item) = kind else {
        unreachable!("a list type")
    };
    let DataType::Struct(fields) = item.data_type() else {
        unreachable!("a list of structs")
    };
    let structs = StructArray::new(fields.clone(), children, None);
    let offsets = OffsetBuffer::<i32>::from_lengths(lengths);
    Arc::new(ListArray::new(
        item.clone(),
        offsets,
        Arc::new(structs),
        None,
    ))
}

fn texts<'a>(values: impl Iterator<Item = Option<&'a str>>) -> ArrayRef {
    let mut b = StringBuilder::new();
    values.for_each(|v| b.append_option(v));
    Arc::new(b.finish())
}

fn ints(values: impl Iterator<Item = i64>) -> ArrayRef {
    let mut b = Int64Builder::new();
    values.for_each(|v| b.append_value(v));
    Arc::new(b.finish())
}

fn floats(values: impl Iterator<Item = f64>) -> ArrayRef {
    let mut b = Float64Builder::new();
    values.for_each(|v| b.append_value(v));
    Arc::new(b.finish())
}

/// One table being written: its schema, the rows not yet written, the file.
struct Table<R> {
    schema: SchemaRef,
    rows: Vec<R>,
    /// Rows per row group.
    group: usize,
    writer: ArrowWriter<AtomicFile>,
    name: &'static str,
}

fn parquet_error(name: &str, e: parquet::errors::ParquetError) -> io::Error {
    match e {
        parquet::errors::ParquetError::External(e) => match e.downcast::<io::Error>() {
            Ok(e) => *e,
            Err(e) => io::Error::other(format!("{name}: {e}")),
        },
        other => io::Error::other(format!("{name}: {other}")),
    }
}

impl<R> Table<R> {
    fn create(
        dir: &Path,
        name: &'static str,
        fields: Vec<Field>,
        group: usize,
    ) -> io::Result<Table<R>> {
        let schema = Arc::new(Schema::new(fields));
        let properties = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_max_row_group_row_count(Some(group))
            .set_created_by(format!("entopic {}", env!("CARGO_PKG_VERSION")))
            .build();
        let file = AtomicFile::create(&dir.join(name))?;
        let writer = ArrowWriter::try_new(file, schema.clone(), Some(properties))
            .map_err(|e| parquet_error(name, e))?;
        Ok(Table {
            schema,
            rows: Vec::new(),
            group,
            writer,
            name,
        })
    }

    /// Adds rows; writes a row group once there are enough.
    fn push(
        &mut self,
        rows: impl IntoIterator<Item = R>,
        columns: impl Fn(&Schema, &[R]) -> Vec<ArrayRef>,
    ) -> io::Result<()> {
        self.rows.extend(rows);
        while self.rows.len() >= self.group {
            let rest = self.rows.split_off(self.group);
            self.write_rows(&columns)?;
            self.rows = rest;
        }
        Ok(())
    }

    fn write_rows(&mut self, columns: &impl Fn(&Schema, &[R]) -> Vec<ArrayRef>) -> io::Result<()> {
        if self.rows.is_empty() {
            return Ok(());
        }
        let arrays = columns(&self.schema, &self.rows);
        let batch = RecordBatch::try_new(self.schema.clone(), arrays)
            .map_err(|e| io::Error::other(format!("{}: {e}", self.name)))?;
        self.writer
            .write(&batch)
            .and_then(|()| self.writer.flush())
            .map_err(|e| parquet_error(self.name, e))?;
        self.rows.clear();
        Ok(())
    }

    /// Writes what is left and the footer; puts the file in place.
    fn finish(
        mut self,
        ending: Ending,
        columns: impl Fn(&Schema, &[R]) -> Vec<ArrayRef>,
    ) -> io::Result<PathBuf> {
        self.write_rows(&columns)?;
        let name = self.name;
        let file = self
            .writer
            .into_inner()
            .map_err(|e| parquet_error(name, e))?;
        let dest = file.dest().with_file_name(ending.file_name(name));
        file.commit_as(&dest)
    }
}

/// Writes the four tables.
struct ParquetWriter {
    documents: Table<DocumentRow>,
    mentions: Table<(Arc<str>, MentionRow)>,
    topics: Table<(Arc<str>, TopicRow)>,
    dir: PathBuf,
    types: Vec<String>,
    group: usize,
}

impl ParquetWriter {
    /// Tables in `dir`, with `group` rows per row group.
    fn create(dir: &Path, ctx: &Context, group: usize) -> io::Result<ParquetWriter> {
        let group = group.max(1);
        Ok(ParquetWriter {
            documents: Table::create(dir, "documents.parquet", document_fields(ctx), group)?,
            mentions: Table::create(dir, "mentions.parquet", mention_fields(), group)?,
            topics: Table::create(dir, "topics.parquet", topic_fields(), group)?,
            dir: dir.to_path_buf(),
            group,
            types: ctx.types.to_vec(),
        })
    }
}

impl Writer for ParquetWriter {
    fn write(&mut self, r: &Rendered, _: &mut Vec<(u64, u64)>) -> io::Result<()> {
        let rows: &DocRows = r.rows_of();
        let id: Arc<str> = rows.document.doc_id.as_str().into();
        let mentions = rows.mentions.iter().map(|m| (id.clone(), m.clone()));
        self.mentions.push(mentions, mention_columns)?;
        let topics = rows.topics.iter().map(|t| (id.clone(), t.clone()));
        self.topics.push(topics, topic_columns)?;
        self.documents
            .push([rows.document.clone()], document_columns)?;
        Ok(())
    }

    fn finish(self: Box<Self>, ending: Ending, corpus: &Aggregates) -> io::Result<Vec<PathBuf>> {
        let mut written = vec![
            self.documents.finish(ending, document_columns)?,
            self.mentions.finish(ending, mention_columns)?,
            self.topics.finish(ending, topic_columns)?,
        ];
        let fields = ENTITY_COLUMNS
            .iter()
            .map(|&c| match c {
                "documents" | "mentions" => field(c, DataType::Int64, false),
                _ => field(c, DataType::Utf8, false),
            })
            .collect();
        let mut entities = Table::create(&self.dir, "entities.parquet", fields, self.group)?;
        entities.push(corpus.entity_rows(&self.types), cell_columns)?;
        written.push(entities.finish(ending, cell_columns)?);
        Ok(written)
    }
}

fn document_fields(ctx: &Context) -> Vec<Field> {
    let mut fields = vec![
        field("doc_id", DataType::Utf8, false),
        field("path", DataType::Utf8, true),
        field("title", DataType::Utf8, true),
        field("date", DataType::Utf8, true),
        field("encoding", DataType::Utf8, false),
        field("chars", DataType::Int64, false),
        field("mentions", DataType::Int64, false),
    ];
    let entity = || {
        list_of(vec![
            field("id", DataType::Utf8, false),
            field("mentions", DataType::Int64, false),
        ])
    };
    fields.extend(ctx.types.iter().map(|t| field(t, entity(), false)));
    let topics = list_of(vec![
        field("tag", DataType::Utf8, false),
        field("score", DataType::Float64, false),
    ]);
    fields.push(field("topics", topics, false));
    fields.push(field("meta", DataType::Utf8, true));
    let meta = ctx.options.meta_columns.iter();
    fields.extend(meta.map(|k| field(&format!("meta.{k}"), DataType::Utf8, true)));
    fields
}

fn document_columns(schema: &Schema, rows: &[DocumentRow]) -> Vec<ArrayRef> {
    let text = |f: fn(&DocumentRow) -> Option<&str>| texts(rows.iter().map(f));
    let mut columns = vec![
        text(|r| Some(&r.doc_id)),
        text(|r| r.path.as_deref()),
        text(|r| r.title.as_deref()),
        text(|r| r.date.as_deref()),
        text(|r| Some(&r.encoding)),
        ints(rows.iter().map(|r| r.chars)),
        ints(rows.iter().map(|r| r.mentions)),
    ];
    let types = rows.first().map_or(0, |r| r.per_type.len());
    for t in 0..types {
        let lists = || rows.iter().map(move |r| &r.per_type[t]);
        let kind = schema.field(columns.len()).data_type();
        let children = vec![
            texts(lists().flatten().map(|(id, _)| Some(id.as_str()))),
            ints(lists().flatten().map(|(_, n)| *n)),
        ];
        columns.push(list_column(kind, lists().map(Vec::len).collect(), children));
    }
    let kind = schema.field(columns.len()).data_type();
    let topics = || rows.iter().flat_map(|r| &r.topics);
    let children = vec![
        texts(topics().map(|(tag, _)| Some(tag.as_str()))),
        floats(topics().map(|(_, score)| *score)),
    ];
    let lengths = rows.iter().map(|r| r.topics.len()).collect();
    columns.push(list_column(kind, lengths, children));
    columns.push(text(|r| r.meta.as_deref()));
    let keys = rows.first().map_or(0, |r| r.meta_columns.len());
    for k in 0..keys {
        columns.push(texts(rows.iter().map(|r| r.meta_columns[k].as_deref())));
    }
    columns
}

fn mention_fields() -> Vec<Field> {
    let text = |name| field(name, DataType::Utf8, false);
    let int = |name| field(name, DataType::Int64, false);
    let attributes = list_of(vec![text("key"), text("value")]);
    vec![
        text("doc_id"),
        text("type"),
        text("entity_id"),
        text("name"),
        text("text"),
        int("start"),
        int("end"),
        int("byte_start"),
        int("byte_end"),
        text("form"),
        field("in_office", DataType::Boolean, true),
        field("role", DataType::Utf8, true),
        field("attributes", attributes, false),
        text("context"),
    ]
}

fn mention_columns(schema: &Schema, rows: &[(Arc<str>, MentionRow)]) -> Vec<ArrayRef> {
    let text = |f: fn(&(Arc<str>, MentionRow)) -> &str| texts(rows.iter().map(|r| Some(f(r))));
    let offset = |i: usize| ints(rows.iter().map(|(_, m)| m.offsets[i]));
    let mut in_office = BooleanBuilder::new();
    rows.iter()
        .for_each(|(_, m)| in_office.append_option(m.in_office));
    let attributes = || rows.iter().flat_map(|(_, m)| &m.attributes);
    let children = vec![
        texts(attributes().map(|(k, _)| Some(k.as_str()))),
        texts(attributes().map(|(_, v)| Some(v.as_str()))),
    ];
    let lengths = rows.iter().map(|(_, m)| m.attributes.len()).collect();
    vec![
        text(|(id, _)| id),
        text(|(_, m)| &m.kind),
        text(|(_, m)| &m.entity_id),
        text(|(_, m)| &m.name),
        text(|(_, m)| &m.text),
        offset(0),
        offset(1),
        offset(2),
        offset(3),
        text(|(_, m)| &m.form),
        Arc::new(in_office.finish()),
        texts(rows.iter().map(|(_, m)| m.role.as_deref())),
        list_column(schema.field(12).data_type(), lengths, children),
        text(|(_, m)| &m.context),
    ]
}

fn topic_fields() -> Vec<Field> {
    let evidence = list_of(vec![
        field("term", DataType::Utf8, false),
        field("count", DataType::Int64, false),
        field("contribution", DataType::Float64, false),
    ]);
    vec![
        field("doc_id", DataType::Utf8, false),
        field("tag", DataType::Utf8, false),
        field("scheme", DataType::Utf8, true),
        field("score", DataType::Float64, false),
        field("evidence", evidence, false),
    ]
}

fn topic_columns(schema: &Schema, rows: &[(Arc<str>, TopicRow)]) -> Vec<ArrayRef> {
    let evidence = || rows.iter().flat_map(|(_, t)| &t.evidence);
    let children = vec![
        texts(evidence().map(|(term, _, _)| Some(term.as_str()))),
        ints(evidence().map(|(_, count, _)| *count)),
        floats(evidence().map(|(_, _, c)| *c)),
    ];
    let lengths = rows.iter().map(|(_, t)| t.evidence.len()).collect();
    vec![
        texts(rows.iter().map(|(id, _)| Some(&**id))),
        texts(rows.iter().map(|(_, t)| Some(t.tag.as_str()))),
        texts(rows.iter().map(|(_, t)| t.scheme.as_deref())),
        floats(rows.iter().map(|(_, t)| t.score)),
        list_column(schema.field(4).data_type(), lengths, children),
    ]
}

/// Columns of rows of cells (the entity table): text as `utf8`, numbers as `int64`.
fn cell_columns(schema: &Schema, rows: &[Vec<Cell>]) -> Vec<ArrayRef> {
    let fields: Vec<&FieldRef> = schema.fields().iter().collect();
    (0..fields.len())
        .map(|i| match fields[i].data_type() {
            DataType::Int64 => ints(rows.iter().map(|r| match &r[i] {
                Cell::Int(n) => *n as i64,
                _ => 0,
            })),
            _ => texts(rows.iter().map(|r| match &r[i] {
                Cell::Text(s) => Some(&**s),
                _ => None,
            })),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::DocStats;
    use parquet::file::reader::{FileReader, SerializedFileReader};

    /// Row groups of each table, by their numbers of rows.
    fn row_groups(path: &Path) -> Vec<i64> {
        let reader = SerializedFileReader::new(std::fs::File::open(path).unwrap()).unwrap();
        let meta = reader.metadata();
        meta.row_groups().iter().map(|g| g.num_rows()).collect()
    }

    #[test]
    fn rows_go_out_in_row_groups_of_a_fixed_size() {
        let pipeline = crate::Pipeline::bundled().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let options = crate::export::Options::default();
        let ctx = Context {
            types: pipeline.types(),
            options: &options,
        };
        let mut corpus = Aggregates::default();
        let mut writer: Box<dyn Writer> =
            Box::new(ParquetWriter::create(dir.path(), &ctx, 2).unwrap());
        let texts = [
            "Iran and Iraq.",
            "Japan.",
            "Chile, Peru, Cuba.",
            "",
            "Kim Jong Un.",
        ];
        for (n, text) in texts.iter().enumerate() {
            let doc = Document::new(format!("d{n}"), *text);
            let analysis = pipeline.analyze(&doc);
            corpus.add(&DocStats::new(&doc, &analysis, None));
            let rendered = Parquet.render(&ctx, &doc, &analysis);
            writer.write(&rendered, &mut Vec::new()).unwrap();
        }
        let written = writer.finish(Ending::Interrupted, &corpus).unwrap();
        let names: Vec<String> = (written.iter())
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            names,
            [
                "documents.parquet.partial",
                "mentions.parquet.partial",
                "topics.parquet.partial",
                "entities.parquet.partial"
            ]
        );
        // 5 documents; 2 + 1 + 3 + 0 + 1 = 7 mentions of 7 distinct entities.
        assert_eq!(row_groups(&written[0]), [2, 2, 1]);
        assert_eq!(row_groups(&written[1]), [2, 2, 2, 1]);
        assert_eq!(row_groups(&written[3]), [2, 2, 2, 1]);
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 4, "no temporary file left");
    }
}
