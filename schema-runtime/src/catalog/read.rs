//! Reading a [`Catalog`] from a live database.
//!
//! One query per kind of object, each against `pg_catalog` only, so that a
//! schema of any size reads in a dozen round trips. Every query starts from
//! the same exclusions (the `prelude!` common table expressions):
//! PostgreSQL's own schemas, the objects an extension owns, and the
//! migrator's version table and log with everything attached to them. Names come back quoted by `quote_ident` and
//! definitions as the server prints them under an empty `search_path`, so
//! that every name in them is qualified; the little that is normalised here
//! (white space in view queries, trailing `;`) is said where it is done.
//!
//! What PostgreSQL copies from a parent is left out, as `pg_dump` leaves it
//! out: the constraints, indexes and triggers a partition gets from its
//! partitioned table, and the `CHECK` constraints a table gets by
//! `INHERITS`. They come with the parent's, so a schema that lists them
//! twice would create them twice.

use std::collections::BTreeMap;

use sqlx::postgres::types::Oid;
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Row};

use super::{
    Catalog, Column, Composite, Constraint, ConstraintKind, Domain, Enum, Extension, Function,
    FunctionKind, FunctionName, Identity, IdentityOptions, Index, Policy, QualifiedName,
    ReplicaIdentity, Rule, Schema, Sequence, SequenceValues, Statistics, Table, Trigger, UserType,
    View,
};
use crate::VersionTable;

/// Why a catalog could not be read.
///
/// # Examples
///
/// ```
/// use schema_runtime::catalog::CatalogError;
///
/// let err = CatalogError::from(schema_runtime::sqlx::Error::PoolClosed);
/// assert!(err.to_string().starts_with("cannot read the schema from the catalog"));
/// ```
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    /// A catalog query failed.
    #[error("cannot read the schema from the catalog: {0}")]
    Query(#[from] sqlx::Error),
}

/// The common table expressions every query starts with, bound to the oids
/// of the version table (`$1`) and its log (`$2`), 0 when they do not exist,
/// and to the version table's schema (`$3`, raw, `NULL` when the table
/// follows the search path):
///
/// - `ext`: every object an extension owns (`pg_depend.deptype = 'e'`);
/// - `skip`: the version table and its log, when they exist;
/// - `rels`: the relations that may be listed, with their quoted schema
///   and name: not in a system schema, not an extension's, not skipped.
macro_rules! prelude {
    () => {
        "WITH ext AS (SELECT objid FROM pg_depend WHERE deptype = 'e'), \
         skip AS (SELECT c.oid FROM pg_class c \
                  WHERE c.oid = $1 OR c.oid = $2 \
                     OR ($3::text IS NULL AND FALSE)), \
         rels AS (SELECT c.oid, c.relkind, c.reltype, quote_ident(n.nspname) AS sch, \
                         quote_ident(c.relname) AS rel \
                  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
                  WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema' \
                    AND c.oid NOT IN (SELECT oid FROM skip) \
                    AND c.oid NOT IN (SELECT objid FROM ext) \
                    AND c.reltype NOT IN (SELECT objid FROM ext)) "
    };
}

/// Namespaces PostgreSQL owns, matched against `n.nspname`.
macro_rules! user_schema {
    () => {
        "n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'"
    };
}

const SCHEMAS: &str = concat!(
    prelude!(),
    "SELECT quote_ident(n.nspname), obj_description(n.oid, 'pg_namespace') \
     FROM pg_namespace n WHERE ",
    user_schema!(),
    " AND n.nspname IS DISTINCT FROM $3 AND n.oid NOT IN (SELECT objid FROM ext)"
);

const EXTENSIONS: &str = concat!(
    prelude!(),
    "SELECT quote_ident(e.extname), quote_ident(n.nspname), e.extversion, \
       CASE WHEN obj_description(e.oid, 'pg_extension') IS DISTINCT FROM a.comment \
            THEN coalesce(obj_description(e.oid, 'pg_extension'), '') END, \
       a.comment \
     FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace \
     LEFT JOIN pg_available_extensions a ON a.name = e.extname"
);

const TYPES: &str = concat!(
    prelude!(),
    "SELECT quote_ident(n.nspname), quote_ident(t.typname), t.typtype::text, \
       ARRAY(SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = t.oid \
             ORDER BY e.enumsortorder), \
       format_type(t.typbasetype, t.typtypmod), t.typnotnull, \
       pg_get_expr(t.typdefaultbin, 0), \
       (SELECT quote_ident(cn.nspname) || '.' || quote_ident(co.collname) \
          FROM pg_collation co JOIN pg_namespace cn ON cn.oid = co.collnamespace \
         WHERE co.oid = t.typcollation AND t.typtype = 'd' AND t.typcollation <> 0 \
           AND t.typcollation <> (SELECT b.typcollation FROM pg_type b WHERE b.oid = t.typbasetype)), \
       ARRAY(SELECT quote_ident(k.conname) FROM pg_constraint k WHERE k.contypid = t.oid \
             AND k.contype = 'c' ORDER BY k.conname), \
       ARRAY(SELECT pg_get_constraintdef(k.oid) FROM pg_constraint k WHERE k.contypid = t.oid \
             AND k.contype = 'c' ORDER BY k.conname), \
       ARRAY(SELECT obj_description(k.oid, 'pg_constraint') FROM pg_constraint k \
              WHERE k.contypid = t.oid AND k.contype = 'c' ORDER BY k.conname), \
       ARRAY(SELECT quote_ident(a.attname) FROM pg_attribute a WHERE a.attrelid = t.typrelid \
             AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum), \
       ARRAY(SELECT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a \
             WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum), \
       obj_description(t.oid, 'pg_type') \
     FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace \
     LEFT JOIN pg_class c ON c.oid = t.typrelid \
     WHERE (t.typtype IN ('e', 'd') OR (t.typtype = 'c' AND c.relkind = 'c')) AND ",
    user_schema!(),
    " AND t.oid NOT IN (SELECT objid FROM ext) \
      AND coalesce(c.oid, 0) NOT IN (SELECT objid FROM ext)"
);

const SEQUENCES: &str = concat!(
    prelude!(),
    "SELECT r.sch, r.rel, format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, \
       s.seqmin, s.seqmax, s.seqcache, s.seqcycle, \
       (SELECT quote_ident(on_.nspname) FROM pg_depend d \
          JOIN pg_class oc ON oc.oid = d.refobjid \
          JOIN pg_namespace on_ ON on_.oid = oc.relnamespace \
         WHERE d.classid = 'pg_class'::regclass AND d.objid = r.oid \
           AND d.refclassid = 'pg_class'::regclass AND d.deptype = 'a' AND d.refobjsubid > 0 LIMIT 1), \
       (SELECT quote_ident(oc.relname) FROM pg_depend d JOIN pg_class oc ON oc.oid = d.refobjid \
         WHERE d.classid = 'pg_class'::regclass AND d.objid = r.oid \
           AND d.refclassid = 'pg_class'::regclass AND d.deptype = 'a' AND d.refobjsubid > 0 LIMIT 1), \
       (SELECT quote_ident(oa.attname) FROM pg_depend d \
          JOIN pg_attribute oa ON oa.attrelid = d.refobjid AND oa.attnum = d.refobjsubid \
         WHERE d.classid = 'pg_class'::regclass AND d.objid = r.oid \
           AND d.refclassid = 'pg_class'::regclass AND d.deptype = 'a' AND d.refobjsubid > 0 LIMIT 1), \
       obj_description(r.oid, 'pg_class') \
     FROM pg_sequence s JOIN rels r ON r.oid = s.seqrelid \
     WHERE NOT EXISTS (SELECT 1 FROM pg_depend d \
                        WHERE d.classid = 'pg_class'::regclass AND d.objid = r.oid \
                          AND d.refclassid = 'pg_class'::regclass \
                          AND (d.deptype = 'i' OR d.refobjid IN (SELECT oid FROM skip)))"
);

const TABLES: &str = concat!(
    prelude!(),
    "SELECT r.sch, r.rel, \
       CASE WHEN r.relkind = 'p' THEN pg_get_partkeydef(r.oid) END, \
       (SELECT quote_ident(pn.nspname) FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent \
          JOIN pg_namespace pn ON pn.oid = p.relnamespace WHERE i.inhrelid = r.oid AND c.relispartition), \
       (SELECT quote_ident(p.relname) FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent \
         WHERE i.inhrelid = r.oid AND c.relispartition), \
       CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END, \
       ARRAY(SELECT quote_ident(pn.nspname) FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent \
               JOIN pg_namespace pn ON pn.oid = p.relnamespace \
              WHERE i.inhrelid = r.oid AND NOT c.relispartition ORDER BY i.inhseqno), \
       ARRAY(SELECT quote_ident(p.relname) FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent \
              WHERE i.inhrelid = r.oid AND NOT c.relispartition ORDER BY i.inhseqno), \
       c.relpersistence = 'u', c.relrowsecurity, c.relforcerowsecurity, \
       ARRAY(SELECT o FROM unnest(coalesce(c.reloptions, '{}')) o ORDER BY o), \
       obj_description(r.oid, 'pg_class'), c.relreplident::text, \
       (SELECT quote_ident(ic.relname) FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid \
         WHERE i.indrelid = c.oid AND i.indisreplident LIMIT 1) \
     FROM rels r JOIN pg_class c ON c.oid = r.oid WHERE r.relkind IN ('r', 'p')"
);

const COLUMNS: &str = concat!(
    prelude!(),
    "SELECT r.sch, r.rel, quote_ident(a.attname), format_type(a.atttypid, a.atttypmod), \
       quote_ident(un.nspname), quote_ident(ut.typname), a.attnotnull, \
       CASE WHEN a.attgenerated = '' THEN pg_get_expr(d.adbin, d.adrelid) END, \
       a.attidentity::text, \
       CASE WHEN a.attgenerated = 's' THEN pg_get_expr(d.adbin, d.adrelid) END, \
       (SELECT quote_ident(cn.nspname) || '.' || quote_ident(co.collname) \
          FROM pg_collation co JOIN pg_namespace cn ON cn.oid = co.collnamespace \
         WHERE co.oid = a.attcollation AND a.attcollation <> t.typcollation), \
       col_description(a.attrelid, a.attnum), \
       format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, s.seqmin, s.seqmax, \
       s.seqcache, s.seqcycle, \
       CASE WHEN a.attstattarget >= 0 THEN a.attstattarget::int4 END, \
       CASE WHEN a.attstorage <> t.typstorage THEN ARRAY[ \
         CASE a.attstorage WHEN 'p' THEN 'PLAIN' WHEN 'e' THEN 'EXTERNAL' \
           WHEN 'm' THEN 'MAIN' ELSE 'EXTENDED' END, \
         CASE t.typstorage WHEN 'p' THEN 'PLAIN' WHEN 'e' THEN 'EXTERNAL' \
           WHEN 'm' THEN 'MAIN' ELSE 'EXTENDED' END] END \
     FROM rels r JOIN pg_attribute a ON a.attrelid = r.oid \
     JOIN pg_type t ON t.oid = a.atttypid \
     LEFT JOIN (pg_depend sd JOIN pg_sequence s ON s.seqrelid = sd.objid) \
       ON sd.classid = 'pg_class'::regclass AND sd.refclassid = 'pg_class'::regclass \
      AND sd.refobjid = a.attrelid AND sd.refobjsubid = a.attnum AND sd.deptype = 'i' \
      AND a.attidentity <> '' \
     JOIN pg_type ut ON ut.oid = CASE WHEN t.typcategory = 'A' AND t.typelem <> 0 \
                                      THEN t.typelem ELSE t.oid END \
     JOIN pg_namespace un ON un.oid = ut.typnamespace \
     LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum \
     WHERE r.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped \
     ORDER BY r.oid, a.attnum"
);

const CONSTRAINTS: &str = concat!(
    prelude!(),
    "SELECT r.sch, r.rel, quote_ident(k.conname), k.contype::text, pg_get_constraintdef(k.oid), \
       quote_ident(fn.nspname), quote_ident(f.relname), obj_description(k.oid, 'pg_constraint') \
     FROM pg_constraint k JOIN rels r ON r.oid = k.conrelid \
     LEFT JOIN pg_class f ON f.oid = k.confrelid AND k.contype = 'f' \
     LEFT JOIN pg_namespace fn ON fn.oid = f.relnamespace \
     WHERE r.relkind IN ('r', 'p') AND k.contype IN ('p', 'u', 'c', 'x', 'f') \
       AND k.conparentid = 0 AND k.coninhcount = 0 \
       AND k.oid NOT IN (SELECT objid FROM ext)"
);

const INDEXES: &str = concat!(
    prelude!(),
    "SELECT quote_ident(n.nspname), quote_ident(ic.relname), r.sch, r.rel, \
       pg_get_indexdef(i.indexrelid), obj_description(i.indexrelid, 'pg_class') \
     FROM pg_index i JOIN rels r ON r.oid = i.indrelid \
     JOIN pg_class ic ON ic.oid = i.indexrelid \
     JOIN pg_namespace n ON n.oid = ic.relnamespace \
     WHERE r.relkind IN ('r', 'p', 'm') \
       AND i.indexrelid NOT IN (SELECT conindid FROM pg_constraint \
                                 WHERE contype IN ('p', 'u', 'x') AND conindid <> 0) \
       AND NOT EXISTS (SELECT 1 FROM pg_inherits h WHERE h.inhrelid = i.indexrelid) \
       AND i.indexrelid NOT IN (SELECT objid FROM ext)"
);

const VIEWS: &str = concat!(
    prelude!(),
    "SELECT r.sch, r.rel, r.relkind = 'm', pg_get_viewdef(r.oid), \
       ARRAY(SELECT o FROM unnest(coalesce(c.reloptions, '{}')) o ORDER BY o), \
       obj_description(r.oid, 'pg_class') \
     FROM rels r JOIN pg_class c ON c.oid = r.oid WHERE r.relkind IN ('v', 'm')"
);

/// The columns of views with a comment or a default.
const VIEW_COLUMNS: &str = concat!(
    prelude!(),
    "SELECT r.sch, r.rel, quote_ident(a.attname), d.description, \
       pg_get_expr(ad.adbin, ad.adrelid) \
     FROM rels r JOIN pg_attribute a ON a.attrelid = r.oid \
     LEFT JOIN pg_description d ON d.objoid = r.oid AND d.classoid = 'pg_class'::regclass \
       AND d.objsubid = a.attnum \
     LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum \
     WHERE r.relkind IN ('v', 'm') AND a.attnum > 0 AND NOT a.attisdropped \
       AND (d.description IS NOT NULL OR ad.adbin IS NOT NULL)"
);

/// Rewrite rules, but the `_RETURN` rule of each view.
const RULES: &str = concat!(
    prelude!(),
    "SELECT r.sch, r.rel, quote_ident(w.rulename), pg_get_ruledef(w.oid), \
       obj_description(w.oid, 'pg_rewrite') \
     FROM pg_rewrite w JOIN rels r ON r.oid = w.ev_class \
     WHERE w.rulename <> '_RETURN' AND w.oid NOT IN (SELECT objid FROM ext)"
);

const VIEW_DEPENDENCIES: &str = concat!(
    prelude!(),
    "SELECT DISTINCT r.sch, r.rel, quote_ident(dn.nspname), quote_ident(dc.relname) \
     FROM rels r JOIN pg_rewrite w ON w.ev_class = r.oid \
     JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = w.oid \
     JOIN pg_class dc ON dc.oid = d.refobjid AND d.refclassid = 'pg_class'::regclass \
     JOIN pg_namespace dn ON dn.oid = dc.relnamespace \
     WHERE r.relkind IN ('v', 'm') AND dc.oid <> r.oid AND dc.relkind IN ('r', 'p', 'v', 'm')"
);

const FUNCTIONS: &str = concat!(
    prelude!(),
    "SELECT quote_ident(n.nspname), quote_ident(p.proname), \
       pg_get_function_identity_arguments(p.oid), p.prokind::text, \
       CASE WHEN p.prokind = 'a' THEN '' ELSE pg_get_functiondef(p.oid) END, \
       CASE WHEN p.prokind <> 'p' THEN pg_get_function_result(p.oid) END, \
       ARRAY(SELECT r.sch || ' ' || r.rel FROM rels r \
              WHERE r.relkind IN ('r', 'p') \
                AND (r.reltype = p.prorettype OR r.reltype = ANY (p.proargtypes::oid[])) \
              ORDER BY r.sch, r.rel), \
       obj_description(p.oid, 'pg_proc'), oidvectortypes(p.proargtypes), p.pronargdefaults \
     FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace \
     WHERE ",
    user_schema!(),
    " AND p.oid NOT IN (SELECT objid FROM ext)"
);

const TRIGGERS: &str = concat!(
    prelude!(),
    "SELECT r.sch, r.rel, quote_ident(g.tgname), pg_get_triggerdef(g.oid), g.tgenabled::text, \
       quote_ident(fn.nspname), quote_ident(f.proname), pg_get_function_identity_arguments(f.oid), \
       obj_description(g.oid, 'pg_trigger') \
     FROM pg_trigger g JOIN rels r ON r.oid = g.tgrelid \
     JOIN pg_proc f ON f.oid = g.tgfoid JOIN pg_namespace fn ON fn.oid = f.pronamespace \
     WHERE NOT g.tgisinternal AND g.oid NOT IN (SELECT objid FROM ext) \
       AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_trigger'::regclass \
                       AND d.objid = g.oid AND d.deptype IN ('P', 'S'))"
);

const STATISTICS: &str = concat!(
    prelude!(),
    "SELECT quote_ident(n.nspname), quote_ident(s.stxname), r.sch, r.rel, \
       pg_get_statisticsobjdef(s.oid), obj_description(s.oid, 'pg_statistic_ext'), \
       CASE WHEN s.stxstattarget >= 0 THEN s.stxstattarget::int4 END \
     FROM pg_statistic_ext s JOIN rels r ON r.oid = s.stxrelid \
     JOIN pg_namespace n ON n.oid = s.stxnamespace \
     WHERE s.oid NOT IN (SELECT objid FROM ext)"
);

const POLICIES: &str = concat!(
    prelude!(),
    "SELECT r.sch, r.rel, quote_ident(p.polname), p.polpermissive, p.polcmd::text, \
       ARRAY(SELECT CASE WHEN o = 0 THEN 'public' ELSE quote_ident(a.rolname) END \
               FROM unnest(p.polroles) o LEFT JOIN pg_roles a ON a.oid = o), \
       pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid), \
       obj_description(p.oid, 'pg_policy') \
     FROM pg_policy p JOIN rels r ON r.oid = p.polrelid"
);

impl Catalog {
    /// Reads the schema of the database `conn` is connected to, leaving out
    /// `table` (the version table a migrator uses), its log and its schema.
    ///
    /// The definitions are read with an empty `search_path`, as `pg_dump`
    /// does, so that every name in them is qualified (`public.kind[]`,
    /// `REFERENCES public.cameras(id)`) whatever the connection's path; the
    /// connection's `search_path` is put back afterwards.
    ///
    /// # Errors
    /// When a catalog query fails.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use schema_runtime::catalog::Catalog;
    /// use schema_runtime::VersionTable;
    ///
    /// # async fn example(conn: &mut schema_runtime::sqlx::PgConnection) -> Result<(), schema_runtime::catalog::CatalogError> {
    /// let catalog = Catalog::read(conn, &VersionTable::default()).await?;
    /// println!("{} tables", catalog.tables.len());
    /// # Ok(())
    /// # }
    /// ```
    pub async fn read(
        conn: &mut PgConnection,
        table: &VersionTable,
    ) -> Result<Catalog, CatalogError> {
        // The version tables are found on the caller's search path, before
        // it is emptied.
        let (version_table, log): (Oid, Oid) = sqlx::query_as(
            "SELECT coalesce(to_regclass($1)::oid, 0::oid), coalesce(to_regclass($2)::oid, 0::oid)",
        )
        .bind(table.table())
        .bind(table.log_table())
        .fetch_one(&mut *conn)
        .await?;
        let saved: String = sqlx::query_scalar("SELECT current_setting('search_path')")
            .fetch_one(&mut *conn)
            .await?;
        sqlx::query("SELECT set_config('search_path', '', false)")
            .execute(&mut *conn)
            .await?;
        let mut q = Queries {
            conn,
            binds: (version_table, log, table.schema.clone()),
        };
        let read = read_all(&mut q).await;
        let restored = sqlx::query("SELECT set_config('search_path', $1, false)")
            .bind(saved)
            .execute(&mut *q.conn)
            .await;
        let catalog = read?;
        restored?;
        Ok(catalog)
    }
}

/// Every query of [`Catalog::read`], run on a connection whose search path
/// is empty.
async fn read_all(q: &mut Queries<'_>) -> Result<Catalog, CatalogError> {
    let version: String = sqlx::query_scalar("SELECT current_setting('server_version_num')")
        .fetch_one(&mut *q.conn)
        .await?;
    let mut catalog = Catalog {
        server_version: version.parse().unwrap_or(0),
        ..Catalog::default()
    };

    let casts: Vec<(String, String)> = sqlx::query_as(
        "SELECT format_type(castsource, NULL), format_type(casttarget, NULL) FROM pg_cast",
    )
    .fetch_all(&mut *q.conn)
    .await?;
    catalog.casts = casts.into_iter().collect();

    for row in q.run(SCHEMAS).await? {
        catalog.schemas.insert(
            row.try_get(0)?,
            Schema {
                comment: row.try_get(1)?,
            },
        );
    }
    for row in q.run(EXTENSIONS).await? {
        catalog.extensions.insert(
            row.try_get(0)?,
            Extension {
                schema: row.try_get(1)?,
                version: row.try_get(2)?,
                comment: row.try_get(3)?,
                control_comment: row.try_get(4)?,
            },
        );
    }
    for row in q.run(TYPES).await? {
        let name = qualified(&row, 0)?;
        let kind: String = row.try_get(2)?;
        let comment = row.try_get(13)?;
        let user_type = match kind.as_str() {
            "e" => UserType::Enum(Enum {
                labels: row.try_get(3)?,
                comment,
            }),
            "d" => {
                let names: Vec<String> = row.try_get(8)?;
                let definitions: Vec<String> = row.try_get(9)?;
                let comments: Vec<Option<String>> = row.try_get(10)?;
                UserType::Domain(Domain {
                    base_type: row.try_get(4)?,
                    not_null: row.try_get(5)?,
                    default: row.try_get(6)?,
                    collation: row.try_get(7)?,
                    constraint_comments: names
                        .iter()
                        .zip(comments)
                        .filter_map(|(n, c)| Some((n.clone(), c?)))
                        .collect(),
                    constraints: names.into_iter().zip(definitions).collect(),
                    comment,
                })
            }
            _ => {
                let names: Vec<String> = row.try_get(11)?;
                let types: Vec<String> = row.try_get(12)?;
                UserType::Composite(Composite {
                    attributes: names.into_iter().zip(types).collect(),
                    comment,
                })
            }
        };
        catalog.types.insert(name, user_type);
    }
    for row in q.run(SEQUENCES).await? {
        let owner: Option<String> = row.try_get(10)?;
        let owned_by = match owner {
            Some(owner) => Some((
                QualifiedName::new(row.try_get::<String, _>(9)?, owner),
                row.try_get(11)?,
            )),
            None => None,
        };
        catalog.sequences.insert(
            qualified(&row, 0)?,
            Sequence {
                data_type: row.try_get(2)?,
                start: row.try_get(3)?,
                increment: row.try_get(4)?,
                min: row.try_get(5)?,
                max: row.try_get(6)?,
                cache: row.try_get(7)?,
                cycle: row.try_get(8)?,
                owned_by,
                comment: row.try_get(12)?,
            },
        );
    }
    for row in q.run(TABLES).await? {
        let parent: Option<String> = row.try_get(3)?;
        let partition_of = match parent {
            Some(schema) => Some((
                QualifiedName::new(schema, row.try_get::<String, _>(4)?),
                row.try_get(5)?,
            )),
            None => None,
        };
        let schemas: Vec<String> = row.try_get(6)?;
        let names: Vec<String> = row.try_get(7)?;
        catalog.tables.insert(
            qualified(&row, 0)?,
            Table {
                columns: Vec::new(),
                partition_by: row.try_get(2)?,
                partition_of,
                inherits: schemas
                    .into_iter()
                    .zip(names)
                    .map(|(s, n)| QualifiedName::new(s, n))
                    .collect(),
                unlogged: row.try_get(8)?,
                row_security: row.try_get(9)?,
                force_row_security: row.try_get(10)?,
                options: row.try_get(11)?,
                replica_identity: replica_identity(
                    &row.try_get::<String, _>(13)?,
                    row.try_get(14)?,
                ),
                comment: row.try_get(12)?,
            },
        );
    }
    for row in q.run(COLUMNS).await? {
        let user_type = qualified(&row, 4)?;
        let identity: String = row.try_get(8)?;
        let column = Column {
            name: row.try_get(2)?,
            data_type: row.try_get(3)?,
            user_type: catalog.types.contains_key(&user_type).then_some(user_type),
            not_null: row.try_get(6)?,
            default: row.try_get(7)?,
            identity: match identity.as_str() {
                "a" => Some(Identity::Always),
                "d" => Some(Identity::ByDefault),
                _ => None,
            },
            generated: row.try_get(9)?,
            collation: row.try_get(10)?,
            identity_options: identity_options(&row)?,
            statistics: row.try_get(19)?,
            storage: row
                .try_get::<Option<Vec<String>>, _>(20)?
                .and_then(|s| Some((s.first()?.clone(), s.get(1)?.clone()))),
            comment: row.try_get(11)?,
        };
        if let Some(table) = catalog.tables.get_mut(&qualified(&row, 0)?) {
            table.columns.push(column);
        }
    }
    for row in q.run(CONSTRAINTS).await? {
        let kind: String = row.try_get(3)?;
        let kind = match kind.as_str() {
            "p" => ConstraintKind::PrimaryKey,
            "u" => ConstraintKind::Unique,
            "c" => ConstraintKind::Check,
            "x" => ConstraintKind::Exclusion,
            _ => ConstraintKind::ForeignKey,
        };
        let referenced: Option<String> = row.try_get(5)?;
        let references = match referenced {
            Some(schema) => Some(QualifiedName::new(schema, row.try_get::<String, _>(6)?)),
            None => None,
        };
        catalog.constraints.insert(
            (qualified(&row, 0)?, row.try_get(2)?),
            Constraint {
                kind,
                definition: row.try_get(4)?,
                references,
                comment: row.try_get(7)?,
            },
        );
    }
    for row in q.run(INDEXES).await? {
        catalog.indexes.insert(
            qualified(&row, 0)?,
            Index {
                table: qualified(&row, 2)?,
                definition: row.try_get(4)?,
                comment: row.try_get(5)?,
            },
        );
    }
    for row in q.run(VIEWS).await? {
        let definition: String = row.try_get(3)?;
        catalog.views.insert(
            qualified(&row, 0)?,
            View {
                materialized: row.try_get(2)?,
                definition: view_definition(&definition),
                options: row.try_get(4)?,
                depends_on: Vec::new(),
                comment: row.try_get(5)?,
                column_comments: BTreeMap::new(),
                column_defaults: BTreeMap::new(),
            },
        );
    }
    for row in q.run(VIEW_COLUMNS).await? {
        if let Some(view) = catalog.views.get_mut(&qualified(&row, 0)?) {
            let column: String = row.try_get(2)?;
            if let Some(comment) = row.try_get::<Option<String>, _>(3)? {
                view.column_comments.insert(column.clone(), comment);
            }
            if let Some(default) = row.try_get::<Option<String>, _>(4)? {
                view.column_defaults.insert(column, default);
            }
        }
    }
    for row in q.run(RULES).await? {
        let definition: String = row.try_get(3)?;
        catalog.rules.insert(
            (qualified(&row, 0)?, row.try_get(2)?),
            Rule {
                definition: statement(&definition),
                comment: row.try_get(4)?,
            },
        );
    }
    for row in q.run(VIEW_DEPENDENCIES).await? {
        let dependency = qualified(&row, 2)?;
        if let Some(view) = catalog.views.get_mut(&qualified(&row, 0)?) {
            view.depends_on.push(dependency);
        }
    }
    for view in catalog.views.values_mut() {
        view.depends_on.sort();
        view.depends_on.dedup();
    }
    for row in q.run(FUNCTIONS).await? {
        let kind: String = row.try_get(3)?;
        let definition: String = row.try_get(4)?;
        let row_types: Vec<String> = row.try_get(6)?;
        let mut uses_row_types: Vec<QualifiedName> = row_types
            .iter()
            .filter_map(|t| t.split_once(' '))
            .map(|(s, n)| QualifiedName::new(s, n))
            .collect();
        uses_row_types.sort();
        catalog.functions.insert(
            FunctionName {
                name: qualified(&row, 0)?,
                arguments: row.try_get(2)?,
            },
            Function {
                kind: match kind.as_str() {
                    "p" => FunctionKind::Procedure,
                    "a" => FunctionKind::Aggregate,
                    "w" => FunctionKind::Window,
                    _ => FunctionKind::Function,
                },
                definition: statement(&definition),
                result: row.try_get(5)?,
                uses_row_types,
                input_types: row.try_get(8)?,
                defaults: row.try_get(9)?,
                comment: row.try_get(7)?,
            },
        );
    }
    for row in q.run(TRIGGERS).await? {
        let enabled: String = row.try_get(4)?;
        catalog.triggers.insert(
            (qualified(&row, 0)?, row.try_get(2)?),
            Trigger {
                definition: row.try_get(3)?,
                enabled: enabled.chars().next().unwrap_or('O'),
                function: FunctionName {
                    name: qualified(&row, 5)?,
                    arguments: row.try_get(7)?,
                },
                comment: row.try_get(8)?,
            },
        );
    }
    for row in q.run(STATISTICS).await? {
        catalog.statistics.insert(
            qualified(&row, 0)?,
            Statistics {
                table: qualified(&row, 2)?,
                definition: row.try_get(4)?,
                target: row.try_get(6)?,
                comment: row.try_get(5)?,
            },
        );
    }
    for row in q.run(POLICIES).await? {
        let command: String = row.try_get(4)?;
        let mut roles: Vec<String> = row.try_get(5)?;
        roles.sort();
        catalog.policies.insert(
            (qualified(&row, 0)?, row.try_get(2)?),
            Policy {
                permissive: row.try_get(3)?,
                command: match command.as_str() {
                    "r" => "SELECT",
                    "a" => "INSERT",
                    "w" => "UPDATE",
                    "d" => "DELETE",
                    _ => "ALL",
                }
                .to_owned(),
                roles,
                using: row.try_get(6)?,
                with_check: row.try_get(7)?,
                comment: row.try_get(8)?,
            },
        );
    }
    Ok(catalog)
}

/// A connection and the three values every query is bound to.
struct Queries<'c> {
    conn: &'c mut PgConnection,
    binds: (Oid, Oid, Option<String>),
}

impl Queries<'_> {
    async fn run(&mut self, query: &'static str) -> Result<Vec<PgRow>, sqlx::Error> {
        sqlx::query(query)
            .bind(self.binds.0)
            .bind(self.binds.1)
            .bind(self.binds.2.as_deref())
            .fetch_all(&mut *self.conn)
            .await
    }
}

/// A table's replica identity from `relreplident` and the name of the
/// index marked `indisreplident`: `USING INDEX` whose index is gone reads
/// as `NOTHING`, which the server makes of it.
fn replica_identity(kind: &str, index: Option<String>) -> ReplicaIdentity {
    match (kind, index) {
        ("n", _) | ("i", None) => ReplicaIdentity::Nothing,
        ("f", _) => ReplicaIdentity::Full,
        ("i", Some(index)) => ReplicaIdentity::Index(index),
        _ => ReplicaIdentity::Default,
    }
}

/// The non-default options of an identity column's sequence, from columns
/// 12 (its type) to 18 of a `COLUMNS` row; all unset when there is no
/// such sequence.
fn identity_options(row: &PgRow) -> Result<IdentityOptions, sqlx::Error> {
    let Some(data_type) = row.try_get::<Option<String>, _>(12)? else {
        return Ok(IdentityOptions::default());
    };
    let values = SequenceValues {
        start: row.try_get(13)?,
        increment: row.try_get(14)?,
        min: row.try_get(15)?,
        max: row.try_get(16)?,
        cache: row.try_get(17)?,
        cycle: row.try_get(18)?,
    };
    Ok(IdentityOptions::from_values(&data_type, values))
}

/// The qualified name in columns `at` (schema) and `at + 1` (name).
fn qualified(row: &PgRow, at: usize) -> Result<QualifiedName, sqlx::Error> {
    Ok(QualifiedName::new(
        row.try_get::<String, _>(at)?,
        row.try_get::<String, _>(at + 1)?,
    ))
}

/// A view's query as [`super::View::definition`] holds it: runs of white
/// space made one space, trimmed, without a trailing `;`.
fn view_definition(text: &str) -> String {
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    statement(&collapsed)
}

/// `text` trimmed, without a trailing `;`.
fn statement(text: &str) -> String {
    let trimmed = text.trim();
    trimmed
        .strip_suffix(';')
        .unwrap_or(trimmed)
        .trim_end()
        .to_owned()
}

#[cfg(test)]
mod unit {
    use super::*;

    #[test]
    fn a_view_definition_is_collapsed_trimmed_and_loses_its_semicolon() {
        assert_eq!(
            view_definition(" SELECT t.id\n   FROM t\n  WHERE (t.id > 0);"),
            "SELECT t.id FROM t WHERE (t.id > 0)"
        );
    }
}
