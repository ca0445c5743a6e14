-- Persistent warehouse tables. Everything here is append-only or rebuilt per run by
-- the models in warehouse/; the DDL is idempotent so every run can apply it.

create table if not exists loaded_files (
    file_id       integer not null,
    path          varchar not null,
    source        varchar not null,
    size_bytes    bigint not null,
    mtime_ns      bigint not null,
    records       bigint not null,
    batch_id      integer not null,
    loaded_as_of  date not null,    -- the as-of date of the run that loaded it: a date, not a clock
    -- when celedger received its statements, as an LRS sets `stored`: the landing time its
    -- pull or inbox manifest records, else the file's modification time (rule 4)
    received_at   timestamptz
);
-- warehouses made before received_at was recorded
alter table loaded_files add column if not exists received_at timestamptz;

-- Every record ever read, valid or not, exactly as it arrived. zstd keeps a million
-- statements at about 70 MB and costs far less than the default string compression.
-- A record is addressed by (file_id, record_no): a file's records are appended in
-- order in one statement, so record_no is the rowid's offset from the file's first
-- rowid (rowids are not stable across a commit, offsets are).
create table if not exists raw_statements (
    batch_id  integer not null,
    file_id   integer not null,
    is_json   boolean not null,
    raw       varchar using compression zstd
);

-- Every valid copy that ever arrived; `kept` marks the one copy per id that stands.
create table if not exists int_statement_copies (
    file_id           integer not null,
    record_no         bigint not null,
    batch_id          integer not null,
    statement_id      uuid not null,
    actor_type        varchar not null,
    actor_name        varchar,
    actor_kind        varchar,
    actor_value       varchar,
    verb_id           varchar not null,
    object_type       varchar not null,
    object_id         varchar,
    ts                timestamptz not null,
    stored_ts         timestamptz,
    duration_seconds  double,
    context_ids       varchar[],
    copies            integer not null,
    kept              boolean not null
);

create table if not exists quarantine_records (
    file_id       integer not null,
    record_no     bigint not null,
    batch_id      integer not null,
    statement_id  varchar,
    reasons       varchar[] not null,
    raw           varchar
);

-- Statements accepted with defects in fields no rule reads (pipelines/statement_schema.py):
-- every reason, for the vendor's rejections report.
create table if not exists warning_records (
    file_id       integer not null,
    record_no     bigint not null,
    batch_id      integer not null,
    statement_id  varchar,
    reasons       varchar[] not null
);

create table if not exists int_effective_statements (
    worker_id         varchar not null,
    statement_id      uuid not null,
    verb_id           varchar not null,
    object_type       varchar not null,
    object_id         varchar,
    ts                timestamptz not null,
    period            varchar not null,
    duration_seconds  double,
    context_ids       varchar[]
);

create table if not exists conflicts (
    statement_id        uuid not null,
    kept_source         varchar not null,
    kept_file           varchar not null,
    kept_stored         timestamptz,
    conflicting_source  varchar not null,
    conflicting_file    varchar not null,
    conflicting_stored  timestamptz,
    kept_raw            varchar,
    conflicting_raw     varchar
);

-- The ledger is a book: entries are only ever appended. credit_key names the credit a
-- rule grants (worker, activity and, for courses and homework, period); content_hash
-- says whether a recomputed credit still matches the one on the book.
create table if not exists ledger_book (
    entry_id           varchar not null,
    credit_key         varchar not null,
    seq                integer not null,
    worker_id          varchar not null,
    period             varchar not null,
    activity_id        varchar not null,
    activity_kind      varchar not null,
    entry_type         varchar not null,
    credited_hours     decimal(9, 2) not null,
    approval_state     varchar not null,
    qualifying         boolean not null,
    competencies       varchar not null,
    earned_at          timestamptz not null,
    statement_ids      varchar not null,
    reverses_entry_id  varchar,
    content_hash       varchar not null
);

create table if not exists compliance_worker (
    worker_id             varchar not null,
    period                varchar not null,
    role                  varchar not null,
    facility              varchar,
    region                varchar,
    supervisor_id         varchar,
    required_hours        decimal(9, 2) not null,
    approved_hours        decimal(9, 2) not null,
    pending_hours         decimal(9, 2) not null,
    hours_needed          decimal(9, 2) not null,
    status                varchar not null,
    competencies_covered  varchar not null,
    last_activity_at      timestamptz,
    as_of                 date not null
);

create table if not exists run_state (
    key    varchar primary key,
    value  varchar not null
);

-- Rule 18: the certificate-of-completion sha2 sums of each standing statement that has any.
create table if not exists int_statement_evidence (
    statement_id  uuid not null,
    evidence      varchar not null
);
