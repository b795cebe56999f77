//! A structured snapshot of a PostgreSQL database's schema, read from the
//! system catalogs.
//!
//! Two features stand on it: the test kit's stairway check compares the
//! [`Catalog::entries`] text form of two snapshots, and autogenerate
//! ([`crate::autogen`]) diffs two snapshots into the DDL that turns one into
//! the other. The model is what both need: every object the schema can hold
//! (schemas, extensions, enums, domains, composite types, sequences, tables
//! and their columns, constraints, indexes, views and materialized views,
//! functions and procedures, triggers, row-level security policies,
//! extended statistics, and the comments on all of them), each with the
//! definition the server itself prints for it (`pg_get_constraintdef`, `pg_get_indexdef`,
//! `pg_get_viewdef`, `pg_get_functiondef`, `pg_get_triggerdef`, `format_type`,
//! `pg_get_expr`), so that two databases built by different DDL compare
//! equal when the server sees them as the same, and so that a definition can
//! be pasted back into DDL.
//!
//! # Names
//!
//! Every identifier in the model is stored as the server's `quote_ident`
//! gives it: `public`, `"User"`, `"order"`. A [`QualifiedName`] displays as
//! `schema.name` and can be written into SQL as it is. Literal values
//! (enum labels, comments) are stored raw; [`quote_literal`] quotes them.
//!
//! # What is left out
//!
//! PostgreSQL's own schemas (`pg_catalog`, `information_schema`, `pg_toast`,
//! temporary schemas), everything that belongs to an extension (the
//! extension itself is listed, with its version and schema), and the
//! migrator's version table and its log, with everything attached to them
//! (the version table's schema too, which a migrator may create). Data is
//! never read: a sequence's current value, a table's rows.

use std::collections::BTreeMap;
use std::fmt;

mod diff;
mod read;
mod text;

pub use diff::{Change, Object, SchemaDiff};
pub use read::CatalogError;

/// A schema-qualified object name, both parts quoted as by `quote_ident`
/// (`public.cameras`, `"Audit"."Log"`).
///
/// # Examples
///
/// ```
/// use schema_runtime::catalog::QualifiedName;
///
/// let name = QualifiedName::new("public", "cameras");
/// assert_eq!(name.to_string(), "public.cameras");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct QualifiedName {
    /// The schema, quoted.
    pub schema: String,
    /// The object's name within the schema, quoted.
    pub name: String,
}

impl QualifiedName {
    /// A name from its two parts, each already quoted.
    ///
    /// # Examples
    ///
    /// ```
    /// let n = schema_runtime::catalog::QualifiedName::new("public", "\"Zone\"");
    /// assert_eq!(n.name, "\"Zone\"");
    /// ```
    pub fn new(schema: impl Into<String>, name: impl Into<String>) -> Self {
        QualifiedName {
            schema: schema.into(),
            name: name.into(),
        }
    }
}

impl fmt::Display for QualifiedName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.schema, self.name)
    }
}

/// Quotes `value` as an SQL string literal (`'it''s'`), for labels and
/// comments.
///
/// # Examples
///
/// ```
/// assert_eq!(schema_runtime::catalog::quote_literal("it's"), "'it''s'");
/// ```
pub fn quote_literal(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

/// The schema of one database, read by [`Catalog::read`].
///
/// Maps are keyed by the object's name (quoted, see the module docs) and
/// sorted, so that two catalogs of the same schema are equal (`==`) and
/// print the same [`Catalog::entries`].
///
/// # Examples
///
/// ```no_run
/// use schema_runtime::catalog::{Catalog, QualifiedName};
/// use schema_runtime::testing::TestDatabase;
/// use schema_runtime::VersionTable;
///
/// # async fn example() -> Result<(), Box<dyn std::error::Error>> {
/// let db = TestDatabase::empty().await?;
/// let mut conn = db.connect().await?;
/// schema_runtime::sqlx::raw_sql("CREATE TABLE t (id int PRIMARY KEY)").execute(&mut conn).await?;
/// let catalog = Catalog::read(&mut conn, &VersionTable::default()).await?;
/// assert!(catalog.tables.contains_key(&QualifiedName::new("public", "t")));
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Catalog {
    /// The server's `server_version_num` (150004 for 15.4). Not part of the
    /// schema: [`Catalog::entries`] leaves it out.
    pub server_version: u32,
    /// Schemas other than PostgreSQL's own, by quoted name.
    pub schemas: BTreeMap<String, Schema>,
    /// Installed extensions, by quoted name.
    pub extensions: BTreeMap<String, Extension>,
    /// Enums, domains and composite types.
    pub types: BTreeMap<QualifiedName, UserType>,
    /// Sequences, except those an identity column owns (they are part of
    /// the column).
    pub sequences: BTreeMap<QualifiedName, Sequence>,
    /// Tables (ordinary, partitioned, partitions, foreign tables are left
    /// out), with their columns.
    pub tables: BTreeMap<QualifiedName, Table>,
    /// Views and materialized views.
    pub views: BTreeMap<QualifiedName, View>,
    /// Functions and procedures, by signature.
    pub functions: BTreeMap<FunctionName, Function>,
    /// Table constraints (primary keys, unique, foreign keys, checks,
    /// exclusions), by table and constraint name. Domain constraints are in
    /// [`Domain::constraints`]; `NOT NULL` is [`Column::not_null`].
    pub constraints: BTreeMap<(QualifiedName, String), Constraint>,
    /// Indexes of tables and materialized views, by qualified index name,
    /// except those that implement a constraint (they come with it).
    pub indexes: BTreeMap<QualifiedName, Index>,
    /// Triggers (not the internal ones of foreign keys), by table and name.
    pub triggers: BTreeMap<(QualifiedName, String), Trigger>,
    /// Row-level security policies, by table and name.
    pub policies: BTreeMap<(QualifiedName, String), Policy>,
    /// Rewrite rules (`CREATE RULE`), by the table or view they are on and
    /// name; not the `_RETURN` rule that makes a view.
    pub rules: BTreeMap<(QualifiedName, String), Rule>,
    /// Extended statistics objects (`CREATE STATISTICS`), by qualified
    /// name.
    pub statistics: BTreeMap<QualifiedName, Statistics>,
    /// The casts the server has (`pg_cast`), as `(source, target)` types
    /// printed by `format_type` without modifiers (`time without time
    /// zone`, `timestamp without time zone`): a column's type change uses
    /// one when there is one. Not part of the schema: [`Catalog::entries`]
    /// leaves it out.
    pub casts: std::collections::BTreeSet<(String, String)>,
}

/// A schema.
///
/// # Examples
///
/// ```
/// let s = schema_runtime::catalog::Schema { comment: Some("audit trail".into()) };
/// assert_eq!(s.comment.as_deref(), Some("audit trail"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Schema {
    /// `COMMENT ON SCHEMA`, if any.
    pub comment: Option<String>,
}

/// An installed extension.
///
/// # Examples
///
/// ```
/// let e = schema_runtime::catalog::Extension {
///     schema: "public".into(),
///     version: "1.6".into(),
///     comment: Some("trigram search".into()),
///     control_comment: Some("text similarity measurement and index searching based on trigrams".into()),
/// };
/// assert_eq!(e.version, "1.6");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extension {
    /// The schema its objects were created in, quoted.
    pub schema: String,
    /// Its installed version (`extversion`).
    pub version: String,
    /// `COMMENT ON EXTENSION`, when it is not the one `CREATE EXTENSION`
    /// gives from the extension's control file ([`Self::control_comment`]):
    /// `None` while the extension keeps that comment, `Some("")` when the
    /// comment was removed.
    pub comment: Option<String>,
    /// The comment `CREATE EXTENSION` gives the extension (its control
    /// file's `comment`), which a plan puts back when [`Self::comment`]
    /// goes back to `None`. Not part of the schema: [`Catalog::entries`]
    /// leaves it out.
    pub control_comment: Option<String>,
}

/// An enum, a domain or a composite type.
///
/// # Examples
///
/// ```
/// use schema_runtime::catalog::{Enum, UserType};
///
/// let t = UserType::Enum(Enum { labels: vec!["online".into(), "offline".into()], comment: None });
/// assert!(matches!(t, UserType::Enum(ref e) if e.labels[0] == "online"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserType {
    /// `CREATE TYPE ... AS ENUM`.
    Enum(Enum),
    /// `CREATE DOMAIN`.
    Domain(Domain),
    /// `CREATE TYPE ... AS (...)`.
    Composite(Composite),
}

/// An enum type.
///
/// # Examples
///
/// ```
/// // CREATE TYPE camera_status AS ENUM ('online', 'offline'); ALTER TYPE camera_status ADD VALUE 'error' BEFORE 'offline';
/// let e = schema_runtime::catalog::Enum { labels: vec!["online".into(), "error".into(), "offline".into()], comment: None };
/// assert_eq!(e.labels.len(), 3);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Enum {
    /// Its labels, raw, in sort order (`enumsortorder`).
    pub labels: Vec<String>,
    /// `COMMENT ON TYPE`, if any.
    pub comment: Option<String>,
}

/// A domain.
///
/// # Examples
///
/// ```
/// // CREATE DOMAIN positive AS integer NOT NULL CHECK (VALUE > 0);
/// let mut d = schema_runtime::catalog::Domain { base_type: "integer".into(), not_null: true, ..Default::default() };
/// d.constraints.insert("positive_check".into(), "CHECK ((VALUE > 0))".into());
/// assert_eq!(d.constraints.len(), 1);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Domain {
    /// The base type, as `format_type` prints it (`text`, `numeric(10,2)`).
    pub base_type: String,
    /// `NOT NULL`.
    pub not_null: bool,
    /// The default expression, as the server prints it.
    pub default: Option<String>,
    /// The collation, quoted and qualified, when not the base type's.
    pub collation: Option<String>,
    /// Its constraints by quoted name, each with `pg_get_constraintdef`
    /// (`CHECK ((VALUE > 0))`).
    pub constraints: BTreeMap<String, String>,
    /// `COMMENT ON CONSTRAINT c ON DOMAIN d` of its constraints, by quoted
    /// constraint name; constraints without a comment are not listed.
    pub constraint_comments: BTreeMap<String, String>,
    /// `COMMENT ON DOMAIN`, if any.
    pub comment: Option<String>,
}

/// A composite type.
///
/// # Examples
///
/// ```
/// // CREATE TYPE pair AS (x integer, y integer);
/// let c = schema_runtime::catalog::Composite {
///     attributes: vec![("x".into(), "integer".into()), ("y".into(), "integer".into())],
///     comment: None,
/// };
/// assert_eq!(c.attributes[1].0, "y");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Composite {
    /// Its attributes in order: quoted name and `format_type`.
    pub attributes: Vec<(String, String)>,
    /// `COMMENT ON TYPE`, if any.
    pub comment: Option<String>,
}

/// A sequence.
///
/// # Examples
///
/// ```
/// use schema_runtime::catalog::{QualifiedName, Sequence};
///
/// // `id serial` on public.logs: its sequence, owned by the column.
/// let s = Sequence {
///     data_type: "integer".into(), start: 1, increment: 1, min: 1, max: i64::from(i32::MAX), cache: 1,
///     owned_by: Some((QualifiedName::new("public", "logs"), "id".into())),
///     ..Sequence::default()
/// };
/// assert!(!s.cycle && s.owned_by.is_some());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sequence {
    /// `smallint`, `integer` or `bigint`.
    pub data_type: String,
    /// `START WITH`.
    pub start: i64,
    /// `INCREMENT BY`.
    pub increment: i64,
    /// `MINVALUE`.
    pub min: i64,
    /// `MAXVALUE`.
    pub max: i64,
    /// `CACHE`.
    pub cache: i64,
    /// `CYCLE`.
    pub cycle: bool,
    /// The column that owns it (`OWNED BY`; a `serial` column's sequence):
    /// the table and the quoted column name.
    pub owned_by: Option<(QualifiedName, String)>,
    /// `COMMENT ON SEQUENCE`, if any.
    pub comment: Option<String>,
}

/// A table: ordinary, partitioned, or a partition.
///
/// # Examples
///
/// ```
/// use schema_runtime::catalog::{QualifiedName, Table};
///
/// // CREATE TABLE public.detections_2026 PARTITION OF public.detections FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
/// let t = Table {
///     partition_of: Some((
///         QualifiedName::new("public", "detections"),
///         "FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')".into(),
///     )),
///     ..Table::default()
/// };
/// assert!(t.partition_by.is_none() && !t.unlogged);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    /// Its columns, in order (`attnum`; dropped columns left out).
    pub columns: Vec<Column>,
    /// For a partitioned table, `pg_get_partkeydef` (`RANGE (taken_at)`).
    pub partition_by: Option<String>,
    /// For a partition, its parent and bound (`pg_get_expr(relpartbound)`,
    /// `FOR VALUES FROM ('2026-01-01') TO ('2026-02-01')`).
    pub partition_of: Option<(QualifiedName, String)>,
    /// Parents by `INHERITS` (not partitioning), in order.
    pub inherits: Vec<QualifiedName>,
    /// `UNLOGGED`.
    pub unlogged: bool,
    /// `ENABLE ROW LEVEL SECURITY`.
    pub row_security: bool,
    /// `FORCE ROW LEVEL SECURITY`.
    pub force_row_security: bool,
    /// Storage parameters (`reloptions`, `fillfactor=70`), sorted.
    pub options: Vec<String>,
    /// `REPLICA IDENTITY` (`relreplident`): what logical replication
    /// writes to identify an updated or deleted row.
    pub replica_identity: ReplicaIdentity,
    /// `COMMENT ON TABLE`, if any.
    pub comment: Option<String>,
}

/// A table's `REPLICA IDENTITY`.
///
/// # Examples
///
/// ```
/// use schema_runtime::catalog::ReplicaIdentity;
///
/// // ALTER TABLE public.cameras REPLICA IDENTITY USING INDEX cameras_serial_key
/// let r = ReplicaIdentity::Index("cameras_serial_key".into());
/// assert_ne!(r, ReplicaIdentity::default());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum ReplicaIdentity {
    /// `DEFAULT`: the primary key, if any.
    #[default]
    Default,
    /// `NOTHING`; also a table whose replica identity index was dropped,
    /// which the server treats the same.
    Nothing,
    /// `FULL`: the whole row.
    Full,
    /// `USING INDEX`: the index (quoted, in the table's schema), which may
    /// be the one of a primary key or unique constraint.
    Index(String),
}

impl Table {
    /// The column named `name` (quoted), if any.
    ///
    /// # Examples
    ///
    /// ```
    /// use schema_runtime::catalog::{Column, Table};
    ///
    /// let t = Table { columns: vec![Column { name: "id".into(), data_type: "integer".into(), ..Column::default() }], ..Table::default() };
    /// assert_eq!(t.column("id").map(|c| c.data_type.as_str()), Some("integer"));
    /// ```
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }
}

/// A column of a table.
///
/// # Examples
///
/// ```
/// use schema_runtime::catalog::{Column, Identity};
///
/// // id bigint GENERATED ALWAYS AS IDENTITY
/// let id = Column { name: "id".into(), data_type: "bigint".into(), not_null: true, identity: Some(Identity::Always), ..Column::default() };
/// assert!(id.default.is_none());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Column {
    /// Its quoted name.
    pub name: String,
    /// Its type as `format_type` prints it (`timestamp with time zone`,
    /// `public.detection_class[]`, `character varying(80)`).
    pub data_type: String,
    /// The user-defined type it uses (the element type for an array), when
    /// it is one of [`Catalog::types`].
    pub user_type: Option<QualifiedName>,
    /// `NOT NULL`.
    pub not_null: bool,
    /// The default expression as `pg_get_expr` prints it; `None` for an
    /// identity or generated column.
    pub default: Option<String>,
    /// `GENERATED ... AS IDENTITY`.
    pub identity: Option<Identity>,
    /// `GENERATED ALWAYS AS (expr) STORED`: the expression.
    pub generated: Option<String>,
    /// The collation, quoted and qualified (`pg_catalog."C"`), when it is not
    /// the type's default.
    pub collation: Option<String>,
    /// For an identity column, the options of its sequence that differ from
    /// the defaults for the column's type (`START WITH 100 INCREMENT BY
    /// 10`); all unset for a plain identity and for any other column.
    pub identity_options: IdentityOptions,
    /// `SET STATISTICS n` (`attstattarget`), when set.
    pub statistics: Option<i32>,
    /// `SET STORAGE`, when it is not the type's own (`typstorage`): the
    /// column's and the type's, each `PLAIN`, `EXTERNAL`, `EXTENDED` or
    /// `MAIN` (the type's is what a reset sets again).
    pub storage: Option<(String, String)>,
    /// `COMMENT ON COLUMN`, if any.
    pub comment: Option<String>,
}

/// The sequence options of an identity column, each `None` (or `false`)
/// when it is the default for the column's type and the increment:
/// increment 1; for a rising sequence minimum 1 and maximum the type's
/// largest value, for a falling one the type's smallest value and -1; start
/// at the minimum (falling: the maximum); cache 1; no cycle.
///
/// # Examples
///
/// ```
/// use schema_runtime::catalog::IdentityOptions;
///
/// // id bigint GENERATED ALWAYS AS IDENTITY (START WITH 100 INCREMENT BY 10)
/// let o = IdentityOptions { start: Some(100), increment: Some(10), ..IdentityOptions::default() };
/// assert_eq!(o.effective("bigint").start, 100);
/// assert_eq!(o.effective("bigint").max, i64::MAX);
/// assert!(IdentityOptions::default().is_default());
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IdentityOptions {
    /// `START WITH`.
    pub start: Option<i64>,
    /// `INCREMENT BY`.
    pub increment: Option<i64>,
    /// `MINVALUE`.
    pub min: Option<i64>,
    /// `MAXVALUE`.
    pub max: Option<i64>,
    /// `CACHE`.
    pub cache: Option<i64>,
    /// `CYCLE`.
    pub cycle: bool,
}

/// Every option of an identity column's sequence, defaults filled in: what
/// [`IdentityOptions::effective`] gives.
///
/// # Examples
///
/// ```
/// use schema_runtime::catalog::IdentityOptions;
///
/// let falling = IdentityOptions { increment: Some(-1), ..IdentityOptions::default() };
/// let e = falling.effective("integer");
/// assert_eq!((e.min, e.max, e.start), (i64::from(i32::MIN), -1, -1));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SequenceValues {
    /// `START WITH`.
    pub start: i64,
    /// `INCREMENT BY`.
    pub increment: i64,
    /// `MINVALUE`.
    pub min: i64,
    /// `MAXVALUE`.
    pub max: i64,
    /// `CACHE`.
    pub cache: i64,
    /// `CYCLE`.
    pub cycle: bool,
}

impl IdentityOptions {
    /// Whether every option is the default.
    ///
    /// # Examples
    ///
    /// ```
    /// use schema_runtime::catalog::IdentityOptions;
    ///
    /// assert!(!IdentityOptions { cycle: true, ..IdentityOptions::default() }.is_default());
    /// ```
    pub fn is_default(&self) -> bool {
        *self == IdentityOptions::default()
    }

    /// The options with the defaults filled in, for a sequence of
    /// `data_type` (`smallint`, `integer` or `bigint`, as `format_type`
    /// prints it; any other type counts as `bigint`).
    ///
    /// # Examples
    ///
    /// ```
    /// use schema_runtime::catalog::IdentityOptions;
    ///
    /// let o = IdentityOptions { min: Some(10), ..IdentityOptions::default() };
    /// assert_eq!(o.effective("smallint").start, 10);
    /// assert_eq!(o.effective("smallint").max, 32767);
    /// ```
    pub fn effective(&self, data_type: &str) -> SequenceValues {
        let (low, high) = type_bounds(data_type);
        let increment = self.increment.unwrap_or(1);
        let rising = increment > 0;
        let min = self.min.unwrap_or(if rising { 1 } else { low });
        let max = self.max.unwrap_or(if rising { high } else { -1 });
        SequenceValues {
            start: self.start.unwrap_or(if rising { min } else { max }),
            increment,
            min,
            max,
            cache: self.cache.unwrap_or(1),
            cycle: self.cycle,
        }
    }

    /// The options of a sequence of `data_type` whose values are `v`, each
    /// left unset where it is the default.
    ///
    /// # Examples
    ///
    /// ```
    /// use schema_runtime::catalog::{IdentityOptions, SequenceValues};
    ///
    /// let v = SequenceValues { start: 1, increment: 1, min: 1, max: i64::from(i32::MAX), cache: 1, cycle: false };
    /// assert!(IdentityOptions::from_values("integer", v).is_default());
    /// ```
    pub fn from_values(data_type: &str, v: SequenceValues) -> IdentityOptions {
        let (low, high) = type_bounds(data_type);
        let rising = v.increment > 0;
        let unless = |value: i64, default: i64| (value != default).then_some(value);
        IdentityOptions {
            start: unless(v.start, if rising { v.min } else { v.max }),
            increment: unless(v.increment, 1),
            min: unless(v.min, if rising { 1 } else { low }),
            max: unless(v.max, if rising { high } else { -1 }),
            cache: unless(v.cache, 1),
            cycle: v.cycle,
        }
    }
}

/// The smallest and largest value of an integer type, by its `format_type`
/// name.
fn type_bounds(data_type: &str) -> (i64, i64) {
    match data_type {
        "smallint" => (i64::from(i16::MIN), i64::from(i16::MAX)),
        "integer" => (i64::from(i32::MIN), i64::from(i32::MAX)),
        _ => (i64::MIN, i64::MAX),
    }
}

/// How an identity column generates its values.
///
/// # Examples
///
/// ```
/// use schema_runtime::catalog::Identity;
///
/// assert_ne!(Identity::Always, Identity::ByDefault);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Identity {
    /// `GENERATED ALWAYS AS IDENTITY`.
    Always,
    /// `GENERATED BY DEFAULT AS IDENTITY`.
    ByDefault,
}

/// What kind of constraint a [`Constraint`] is.
///
/// # Examples
///
/// ```
/// use schema_runtime::catalog::ConstraintKind;
///
/// // Keys sort before the foreign keys that need them.
/// assert!(ConstraintKind::PrimaryKey < ConstraintKind::ForeignKey);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ConstraintKind {
    /// `PRIMARY KEY`.
    PrimaryKey,
    /// `UNIQUE`.
    Unique,
    /// `CHECK`.
    Check,
    /// `EXCLUDE`.
    Exclusion,
    /// `FOREIGN KEY`.
    ForeignKey,
}

/// A table constraint.
///
/// # Examples
///
/// ```
/// use schema_runtime::catalog::{Constraint, ConstraintKind, QualifiedName};
///
/// let fk = Constraint {
///     kind: ConstraintKind::ForeignKey,
///     definition: "FOREIGN KEY (camera_id) REFERENCES public.cameras(id) ON DELETE CASCADE".into(),
///     references: Some(QualifiedName::new("public", "cameras")),
///     comment: None,
/// };
/// assert!(fk.definition.starts_with("FOREIGN KEY"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Constraint {
    /// Its kind.
    pub kind: ConstraintKind,
    /// `pg_get_constraintdef`: what follows `ADD CONSTRAINT name` (`PRIMARY
    /// KEY (id)`, `FOREIGN KEY (camera_id) REFERENCES public.cameras(id) ON
    /// DELETE CASCADE`, `CHECK ((score >= 0)) NOT VALID`).
    pub definition: String,
    /// For a foreign key, the table it references.
    pub references: Option<QualifiedName>,
    /// `COMMENT ON CONSTRAINT`, if any.
    pub comment: Option<String>,
}

/// An index that does not implement a constraint.
///
/// # Examples
///
/// ```
/// use schema_runtime::catalog::{Index, QualifiedName};
///
/// let i = Index {
///     table: QualifiedName::new("public", "cameras"),
///     definition: "CREATE INDEX cameras_offline ON public.cameras USING btree (id) WHERE (status = 'offline'::public.camera_status)".into(),
///     comment: None,
/// };
/// assert!(i.definition.contains("WHERE"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Index {
    /// The table or materialized view it indexes.
    pub table: QualifiedName,
    /// `pg_get_indexdef`: a complete `CREATE [UNIQUE] INDEX name ON table
    /// USING method (...) [INCLUDE ...] [WHERE ...]` statement.
    pub definition: String,
    /// `COMMENT ON INDEX`, if any.
    pub comment: Option<String>,
}

/// A view or a materialized view.
///
/// # Examples
///
/// ```
/// use schema_runtime::catalog::{QualifiedName, View};
///
/// let v = View {
///     materialized: false,
///     definition: "SELECT cameras.id FROM public.cameras WHERE (cameras.status = 'online'::public.camera_status)".into(),
///     options: vec![],
///     depends_on: vec![QualifiedName::new("public", "cameras")],
///     comment: None,
///     column_comments: Default::default(),
///     column_defaults: Default::default(),
/// };
/// assert_eq!(v.depends_on.len(), 1);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct View {
    /// `MATERIALIZED`.
    pub materialized: bool,
    /// Its query as `pg_get_viewdef` prints it, with runs of white space
    /// made one space and no trailing `;`.
    pub definition: String,
    /// Its options (`reloptions`: `security_barrier=true`,
    /// `check_option=local`), sorted.
    pub options: Vec<String>,
    /// The tables, views and materialized views its query reads (from
    /// `pg_depend` through its rewrite rule), sorted; the order in which
    /// views are created and dropped follows them.
    pub depends_on: Vec<QualifiedName>,
    /// `COMMENT ON VIEW` / `COMMENT ON MATERIALIZED VIEW`, if any.
    pub comment: Option<String>,
    /// `COMMENT ON COLUMN` of its columns, by quoted column name.
    pub column_comments: BTreeMap<String, String>,
    /// The defaults of its columns (`ALTER VIEW ... ALTER COLUMN ... SET
    /// DEFAULT`, which an `INSERT` through the view uses), by quoted column
    /// name, as `pg_get_expr` prints them.
    pub column_defaults: BTreeMap<String, String>,
}

/// A function's or procedure's identity: its qualified name and its
/// argument types (`pg_get_function_identity_arguments`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FunctionName {
    /// The schema and name, quoted.
    pub name: QualifiedName,
    /// The identity arguments (`camera_id integer, since timestamp with
    /// time zone`), as the server prints them.
    pub arguments: String,
}

impl fmt::Display for FunctionName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}({})", self.name, self.arguments)
    }
}

/// What kind of routine a [`Function`] is.
///
/// # Examples
///
/// ```
/// use schema_runtime::catalog::FunctionKind;
///
/// assert_ne!(FunctionKind::Function, FunctionKind::Procedure);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FunctionKind {
    /// `CREATE FUNCTION`.
    Function,
    /// `CREATE PROCEDURE`.
    Procedure,
    /// `CREATE AGGREGATE`: read so that a change is seen, never generated.
    Aggregate,
    /// A window function written in C: read, never generated.
    Window,
}

/// A function or procedure.
///
/// # Examples
///
/// ```
/// use schema_runtime::catalog::{Function, FunctionKind};
///
/// let f = Function {
///     kind: FunctionKind::Function,
///     definition: "CREATE OR REPLACE FUNCTION public.touch()\n RETURNS trigger\n LANGUAGE plpgsql\nAS $function$ BEGIN RETURN NEW; END $function$".into(),
///     result: Some("trigger".into()),
///     uses_row_types: vec![],
///     input_types: String::new(),
///     defaults: 0,
///     comment: None,
/// };
/// assert_eq!(f.result.as_deref(), Some("trigger"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Function {
    /// Its kind.
    pub kind: FunctionKind,
    /// `pg_get_functiondef`: a complete `CREATE OR REPLACE FUNCTION` (or
    /// `PROCEDURE`) statement, without a trailing `;`. Empty for an
    /// aggregate.
    pub definition: String,
    /// `pg_get_function_result` (`trigger`, `SETOF public.cameras`), `None`
    /// for a procedure. A change of result type cannot be made by
    /// `CREATE OR REPLACE`.
    pub result: Option<String>,
    /// The tables whose row type its arguments or result use, sorted; such a
    /// function is created after its tables.
    pub uses_row_types: Vec<QualifiedName>,
    /// The argument types the server tells routines apart by
    /// (`proargtypes`, as `oidvectortypes` prints them): two routines of
    /// one name whose signatures differ only in argument names, `OUT`
    /// arguments or kind cannot exist side by side.
    pub input_types: String,
    /// How many arguments have a default (`pronargdefaults`): `CREATE OR
    /// REPLACE` cannot remove one.
    pub defaults: i16,
    /// `COMMENT ON FUNCTION`, if any.
    pub comment: Option<String>,
}

/// A trigger.
///
/// # Examples
///
/// ```
/// use schema_runtime::catalog::{FunctionName, QualifiedName, Trigger};
///
/// let t = Trigger {
///     definition: "CREATE TRIGGER touch BEFORE UPDATE ON public.cameras FOR EACH ROW EXECUTE FUNCTION public.touch()".into(),
///     enabled: 'O',
///     function: FunctionName { name: QualifiedName::new("public", "touch"), arguments: String::new() },
///     comment: None,
/// };
/// assert_eq!(t.function.to_string(), "public.touch()");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trigger {
    /// `pg_get_triggerdef`: a complete `CREATE [CONSTRAINT] TRIGGER`
    /// statement.
    pub definition: String,
    /// `tgenabled`: `O` (origin, the default), `D` (disabled), `R`
    /// (replica), `A` (always).
    pub enabled: char,
    /// The function it executes.
    pub function: FunctionName,
    /// `COMMENT ON TRIGGER`, if any.
    pub comment: Option<String>,
}

/// A rewrite rule (`CREATE RULE`) on a table or view.
///
/// # Examples
///
/// ```
/// use schema_runtime::catalog::Rule;
///
/// let r = Rule {
///     definition: "CREATE RULE keep AS ON DELETE TO public.cameras DO INSTEAD NOTHING".into(),
///     comment: None,
/// };
/// assert!(r.definition.starts_with("CREATE RULE"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// `pg_get_ruledef`: a complete `CREATE RULE` statement, without the
    /// trailing `;`.
    pub definition: String,
    /// `COMMENT ON RULE`, if any.
    pub comment: Option<String>,
}

/// An extended statistics object (`CREATE STATISTICS`).
///
/// # Examples
///
/// ```
/// use schema_runtime::catalog::{QualifiedName, Statistics};
///
/// let s = Statistics {
///     table: QualifiedName::new("public", "detections"),
///     definition: "CREATE STATISTICS public.detections_camera_class (ndistinct) ON camera_id, class FROM public.detections".into(),
///     // ALTER STATISTICS public.detections_camera_class SET STATISTICS 500
///     target: Some(500),
///     comment: None,
/// };
/// assert!(s.definition.starts_with("CREATE STATISTICS"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statistics {
    /// The table it is on.
    pub table: QualifiedName,
    /// `pg_get_statisticsobjdef`: a complete `CREATE STATISTICS name
    /// [(kinds)] ON columns or expressions FROM table` statement.
    pub definition: String,
    /// `ALTER STATISTICS ... SET STATISTICS n` (`stxstattarget`), when
    /// set; `None` for the default (-1: the columns' own targets).
    pub target: Option<i32>,
    /// `COMMENT ON STATISTICS`, if any.
    pub comment: Option<String>,
}

/// A row-level security policy.
///
/// # Examples
///
/// ```
/// let p = schema_runtime::catalog::Policy {
///     permissive: true,
///     command: "SELECT".into(),
///     roles: vec!["public".into()],
///     using: Some("(camera_id = current_setting('app.camera'::text, true))".into()),
///     with_check: None,
///     comment: None,
/// };
/// assert!(p.with_check.is_none());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// `AS PERMISSIVE` (else restrictive).
    pub permissive: bool,
    /// `FOR ALL`, `SELECT`, `INSERT`, `UPDATE` or `DELETE`.
    pub command: String,
    /// `TO` roles, quoted, sorted (`public` for everyone).
    pub roles: Vec<String>,
    /// `USING (...)`: the expression, as the server prints it.
    pub using: Option<String>,
    /// `WITH CHECK (...)`: the expression, as the server prints it.
    pub with_check: Option<String>,
    /// `COMMENT ON POLICY`, if any.
    pub comment: Option<String>,
}
