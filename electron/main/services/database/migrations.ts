/**
 * Versioned schema migrations. Each entry runs once, in order, inside a transaction, and the
 * database's `user_version` records how far it has got. Never edit a released migration: add one.
 */
export const migrations: readonly string[] = [
  // 1: corpora, pieces and their musical content; jobs; settings.
  `
  CREATE TABLE corpora (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
  );

  CREATE TABLE pieces (
    id INTEGER PRIMARY KEY,
    corpus_id INTEGER NOT NULL REFERENCES corpora(id) ON DELETE CASCADE,
    file_name TEXT NOT NULL,
    relative_path TEXT NOT NULL,
    source_path TEXT,
    content_hash TEXT NOT NULL,
    split TEXT CHECK (split IN ('train', 'valid', 'test')),
    ppq INTEGER NOT NULL CHECK (ppq > 0),
    duration_ticks INTEGER NOT NULL,
    duration_seconds REAL NOT NULL,
    track_count INTEGER NOT NULL,
    note_count INTEGER NOT NULL,
    imported_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    UNIQUE (corpus_id, content_hash)
  );
  CREATE INDEX pieces_by_corpus ON pieces(corpus_id);

  CREATE TABLE tempos (
    piece_id INTEGER NOT NULL REFERENCES pieces(id) ON DELETE CASCADE,
    ticks INTEGER NOT NULL,
    bpm REAL NOT NULL
  );
  CREATE INDEX tempos_by_piece ON tempos(piece_id);

  CREATE TABLE time_signatures (
    piece_id INTEGER NOT NULL REFERENCES pieces(id) ON DELETE CASCADE,
    ticks INTEGER NOT NULL,
    numerator INTEGER NOT NULL,
    denominator INTEGER NOT NULL
  );
  CREATE INDEX time_signatures_by_piece ON time_signatures(piece_id);

  CREATE TABLE key_signatures (
    piece_id INTEGER NOT NULL REFERENCES pieces(id) ON DELETE CASCADE,
    ticks INTEGER NOT NULL,
    key TEXT NOT NULL,
    scale TEXT NOT NULL CHECK (scale IN ('major', 'minor'))
  );
  CREATE INDEX key_signatures_by_piece ON key_signatures(piece_id);

  CREATE TABLE tracks (
    id INTEGER PRIMARY KEY,
    piece_id INTEGER NOT NULL REFERENCES pieces(id) ON DELETE CASCADE,
    track_index INTEGER NOT NULL,
    name TEXT NOT NULL,
    program INTEGER NOT NULL CHECK (program BETWEEN 0 AND 127),
    channel INTEGER NOT NULL CHECK (channel BETWEEN 0 AND 15),
    is_drum INTEGER NOT NULL CHECK (is_drum IN (0, 1)),
    UNIQUE (piece_id, track_index)
  );

  CREATE TABLE notes (
    track_id INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
    ticks INTEGER NOT NULL,
    duration_ticks INTEGER NOT NULL,
    time REAL NOT NULL,
    duration REAL NOT NULL,
    pitch INTEGER NOT NULL CHECK (pitch BETWEEN 0 AND 127),
    velocity INTEGER NOT NULL CHECK (velocity BETWEEN 0 AND 127)
  );
  CREATE INDEX notes_by_track ON notes(track_id, ticks);

  CREATE TABLE control_changes (
    track_id INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
    ticks INTEGER NOT NULL,
    time REAL NOT NULL,
    controller INTEGER NOT NULL CHECK (controller BETWEEN 0 AND 127),
    value INTEGER NOT NULL CHECK (value BETWEEN 0 AND 127)
  );
  CREATE INDEX control_changes_by_track ON control_changes(track_id, ticks);

  CREATE TABLE jobs (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),
    progress REAL NOT NULL DEFAULT 0,
    message TEXT NOT NULL DEFAULT '',
    payload TEXT NOT NULL,
    result TEXT,
    error TEXT,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    started_at TEXT,
    finished_at TEXT
  );

  CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  `,

  // 2: seeded train/valid/test splits stored with the corpus; a cache of corpus statistics.
  `
  ALTER TABLE corpora ADD COLUMN split_seed INTEGER NOT NULL DEFAULT 1;
  ALTER TABLE pieces ADD COLUMN split_source TEXT CHECK (split_source IN ('folder', 'seed'));
  UPDATE pieces SET split_source = 'folder' WHERE split IS NOT NULL;

  CREATE TABLE corpus_statistics (
    corpus_id INTEGER NOT NULL REFERENCES corpora(id) ON DELETE CASCADE,
    -- 'all' or a split name
    scope TEXT NOT NULL,
    statistics TEXT NOT NULL,
    PRIMARY KEY (corpus_id, scope)
  );
  -- Any change to a corpus's pieces or their splits makes its cached statistics stale.
  CREATE TRIGGER pieces_insert_invalidates AFTER INSERT ON pieces
    BEGIN DELETE FROM corpus_statistics WHERE corpus_id = NEW.corpus_id; END;
  CREATE TRIGGER pieces_delete_invalidates AFTER DELETE ON pieces
    BEGIN DELETE FROM corpus_statistics WHERE corpus_id = OLD.corpus_id; END;
  CREATE TRIGGER pieces_split_invalidates AFTER UPDATE OF split ON pieces
    BEGIN DELETE FROM corpus_statistics WHERE corpus_id = NEW.corpus_id; END;
  `,

  // 3: trained models (HMMs: settings, saved state, training history) and the clips they generate.
  `
  CREATE TABLE models (
    -- AUTOINCREMENT: a deleted model's id is never given to another (views may still hold it).
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    family TEXT NOT NULL CHECK (family IN ('hmm')),
    -- A model goes with the corpus it was trained on (the contract names that corpus).
    corpus_id INTEGER NOT NULL REFERENCES corpora(id) ON DELETE CASCADE,
    representation TEXT NOT NULL CHECK (representation IN ('pitch', 'event', 'note')),
    status TEXT NOT NULL CHECK (status IN ('training', 'trained', 'stopped', 'failed')),
    -- JSON: the HmmSettings it trains with.
    settings TEXT NOT NULL,
    -- JSON: the serialized model after its last completed iteration (parameters and full history); NULL before.
    state TEXT,
    iterations INTEGER NOT NULL DEFAULT 0,
    -- JSON array of {iteration, logLikelihoodPerToken}: the training curve.
    history TEXT NOT NULL DEFAULT '[]',
    valid_log_likelihood REAL,
    train_tokens INTEGER NOT NULL DEFAULT 0,
    engine TEXT CHECK (engine IN ('native', 'typescript')),
    training_seconds REAL NOT NULL DEFAULT 0,
    size_bytes INTEGER NOT NULL DEFAULT 0,
    -- The job training it now or last; jobs are never deleted, but the link need not hold them.
    job_id INTEGER REFERENCES jobs(id) ON DELETE SET NULL,
    error TEXT,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
  );
  CREATE INDEX models_by_corpus ON models(corpus_id);
  CREATE INDEX models_by_job ON models(job_id);

  CREATE TABLE clips (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    -- A clip outlives the model that made it.
    model_id INTEGER REFERENCES models(id) ON DELETE SET NULL,
    -- JSON of the Piece (MusicSchema): one document, edited whole by the piano roll.
    music TEXT NOT NULL,
    track_count INTEGER NOT NULL,
    note_count INTEGER NOT NULL,
    duration_seconds REAL NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
  );
  CREATE INDEX clips_by_model ON clips(model_id);
  `,

  // 4: model comparisons (their request, status and results) and the composer's A/B preferences.
  `
  CREATE TABLE comparisons (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    -- A comparison goes with its corpus; it outlives its models (its results hold what it needs of them).
    corpus_id INTEGER NOT NULL REFERENCES corpora(id) ON DELETE CASCADE,
    -- JSON array of the model ids compared, in the composer's order.
    model_ids TEXT NOT NULL,
    -- JSON: the request (comparisons.create's input with its defaults).
    request TEXT NOT NULL,
    samples_per_model INTEGER NOT NULL CHECK (samples_per_model > 0),
    reference_split TEXT NOT NULL CHECK (reference_split IN ('train', 'valid', 'test')),
    status TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed', 'cancelled')),
    job_id INTEGER REFERENCES jobs(id) ON DELETE SET NULL,
    -- JSON (ComparisonResultsSchema): partial while running, whole when done, NULL otherwise.
    results TEXT,
    error TEXT,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
  );
  CREATE INDEX comparisons_by_corpus ON comparisons(corpus_id);
  CREATE INDEX comparisons_by_job ON comparisons(job_id);

  CREATE TABLE comparison_preferences (
    id INTEGER PRIMARY KEY,
    comparison_id INTEGER NOT NULL REFERENCES comparisons(id) ON DELETE CASCADE,
    -- The two samples (clips) heard; no foreign key: a tally outlives a clip the composer deletes.
    clip_a INTEGER NOT NULL,
    clip_b INTEGER NOT NULL,
    -- The models that made them, when the preference was recorded.
    model_a INTEGER NOT NULL,
    model_b INTEGER NOT NULL,
    preferred TEXT NOT NULL CHECK (preferred IN ('a', 'b', 'same')),
    blind INTEGER NOT NULL CHECK (blind IN (0, 1)),
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
  );
  CREATE INDEX comparison_preferences_by_comparison ON comparison_preferences(comparison_id);
  `,

  // 5: the models table for the neural families (LSTM, transformer) and the engine's reason.
  // SQLite cannot change a CHECK in place, so the table is rebuilt (new table, copy, drop, rename,
  // https://sqlite.org/lang_altertable.html#otheralter), keeping every row, id and the
  // AUTOINCREMENT counter. migrate() runs migrations with foreign keys off, so dropping the old
  // table does not fire clips' ON DELETE SET NULL.
  `
  CREATE TABLE models_rebuilt (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    family TEXT NOT NULL CHECK (family IN ('hmm', 'lstm', 'transformer')),
    corpus_id INTEGER NOT NULL REFERENCES corpora(id) ON DELETE CASCADE,
    representation TEXT NOT NULL CHECK (representation IN ('pitch', 'event', 'note', 'note-steps')),
    status TEXT NOT NULL CHECK (status IN ('training', 'trained', 'stopped', 'failed')),
    -- JSON: the settings it trains with (HmmSettings, LstmSettings or TransformerSettings).
    settings TEXT NOT NULL,
    -- JSON: the saved model after its last completed iteration or epoch; NULL before.
    state TEXT,
    iterations INTEGER NOT NULL DEFAULT 0,
    -- JSON array of TrainingPoint: the training curve.
    history TEXT NOT NULL DEFAULT '[]',
    valid_log_likelihood REAL,
    train_tokens INTEGER NOT NULL DEFAULT 0,
    engine TEXT CHECK (engine IN ('native', 'typescript', 'wasm', 'cpu')),
    -- Neural models: the engine's sentence on what runs and why not something faster.
    engine_reason TEXT,
    training_seconds REAL NOT NULL DEFAULT 0,
    size_bytes INTEGER NOT NULL DEFAULT 0,
    job_id INTEGER REFERENCES jobs(id) ON DELETE SET NULL,
    error TEXT,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
  );
  INSERT INTO models_rebuilt (id, name, family, corpus_id, representation, status, settings, state, iterations, history,
      valid_log_likelihood, train_tokens, engine, training_seconds, size_bytes, job_id, error, created_at, updated_at)
    SELECT id, name, family, corpus_id, representation, status, settings, state, iterations, history,
      valid_log_likelihood, train_tokens, engine, training_seconds, size_bytes, job_id, error, created_at, updated_at
    FROM models;
  -- Keep the AUTOINCREMENT counter: a deleted model's id is never given to a new one.
  DELETE FROM sqlite_sequence WHERE name = 'models_rebuilt';
  INSERT INTO sqlite_sequence (name, seq) SELECT 'models_rebuilt', seq FROM sqlite_sequence WHERE name = 'models';
  DROP TABLE models;
  ALTER TABLE models_rebuilt RENAME TO models;
  CREATE INDEX models_by_corpus ON models(corpus_id);
  CREATE INDEX models_by_job ON models(job_id);
`,

  // 6: the models table for the polyphonic family (piano-roll frames) and, ahead of the next issue,
  // the VAE and RL families (melody). Rebuilt as migration 5 was: every row, id and the
  // AUTOINCREMENT counter kept, with foreign keys off while migrate() runs it.
  `
  CREATE TABLE models_rebuilt (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    family TEXT NOT NULL CHECK (family IN ('hmm', 'lstm', 'transformer', 'polyphonic', 'vae', 'rl')),
    corpus_id INTEGER NOT NULL REFERENCES corpora(id) ON DELETE CASCADE,
    representation TEXT NOT NULL CHECK (representation IN ('pitch', 'event', 'note', 'note-steps', 'pianoroll', 'melody')),
    status TEXT NOT NULL CHECK (status IN ('training', 'trained', 'stopped', 'failed')),
    -- JSON: the settings it trains with (the family's settings schema in core/ipc/schemas.ts).
    settings TEXT NOT NULL,
    -- JSON: the saved model after its last completed iteration or epoch; NULL before.
    state TEXT,
    iterations INTEGER NOT NULL DEFAULT 0,
    -- JSON array of TrainingPoint: the training curve.
    history TEXT NOT NULL DEFAULT '[]',
    valid_log_likelihood REAL,
    train_tokens INTEGER NOT NULL DEFAULT 0,
    engine TEXT CHECK (engine IN ('native', 'typescript', 'wasm', 'cpu')),
    engine_reason TEXT,
    training_seconds REAL NOT NULL DEFAULT 0,
    size_bytes INTEGER NOT NULL DEFAULT 0,
    job_id INTEGER REFERENCES jobs(id) ON DELETE SET NULL,
    error TEXT,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
  );
  INSERT INTO models_rebuilt (id, name, family, corpus_id, representation, status, settings, state, iterations, history,
      valid_log_likelihood, train_tokens, engine, engine_reason, training_seconds, size_bytes, job_id, error, created_at, updated_at)
    SELECT id, name, family, corpus_id, representation, status, settings, state, iterations, history,
      valid_log_likelihood, train_tokens, engine, engine_reason, training_seconds, size_bytes, job_id, error, created_at, updated_at
    FROM models;
  DELETE FROM sqlite_sequence WHERE name = 'models_rebuilt';
  INSERT INTO sqlite_sequence (name, seq) SELECT 'models_rebuilt', seq FROM sqlite_sequence WHERE name = 'models';
  DROP TABLE models;
  ALTER TABLE models_rebuilt RENAME TO models;
  CREATE INDEX models_by_corpus ON models(corpus_id);
  CREATE INDEX models_by_job ON models(job_id);
`,
];
