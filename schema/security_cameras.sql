-- The schema the reference application wants: the security-camera backend
-- of the seed, as PostgreSQL DDL. `cargo xtask check --autogenerate` checks
-- that the revisions in migrations/ build exactly this; edit it and run
-- `cargo xtask new-revision --autogenerate -m "..."` to write the revision
-- that gets there (docs/AUTOGENERATE.md).

CREATE TYPE public.alert_severity AS ENUM (
    'low',
    'medium',
    'high',
    'critical'
);

CREATE TYPE public.alert_status AS ENUM (
    'pending',
    'delivered',
    'acknowledged',
    'dismissed'
);

CREATE TYPE public.camera_status AS ENUM (
    'online',
    'offline',
    'error',
    'disabled'
);

CREATE TYPE public.zone_shape AS ENUM (
    'rectangle',
    'polygon'
);

CREATE TYPE public.zone_type AS ENUM (
    'entry_point',
    'driveway',
    'sidewalk',
    'yard',
    'other'
);

CREATE FUNCTION public.events_search_vector_update() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector('english', coalesce(NEW.summary, '')), 'A') ||
        setweight(to_tsvector('english', coalesce(NEW.reasoning, '')), 'B') ||
        setweight(to_tsvector('english', coalesce(NEW.notes, '')), 'C');
    RETURN NEW;  -- a trigger on INSERT OR UPDATE; returning NEW keeps the row
END;
$$;

CREATE TABLE public.activity_baselines (
    id bigint NOT NULL,
    camera_id text NOT NULL,
    hour smallint NOT NULL,
    day_of_week smallint NOT NULL,
    avg_count double precision DEFAULT 0 NOT NULL,
    sample_count integer DEFAULT 0 NOT NULL,
    last_updated timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT activity_baselines_avg_count_check CHECK ((avg_count >= (0)::double precision)),
    CONSTRAINT activity_baselines_day_of_week_check CHECK (((day_of_week >= 0) AND (day_of_week <= 6))),
    CONSTRAINT activity_baselines_hour_check CHECK (((hour >= 0) AND (hour <= 23))),
    CONSTRAINT activity_baselines_sample_count_check CHECK ((sample_count >= 0))
);

CREATE SEQUENCE public.activity_baselines_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.activity_baselines_id_seq OWNED BY public.activity_baselines.id;

CREATE TABLE public.alert_rules (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    name text NOT NULL,
    description text,
    enabled boolean DEFAULT true NOT NULL,
    severity public.alert_severity DEFAULT 'medium'::public.alert_severity NOT NULL,
    risk_threshold smallint,
    object_types text[],
    camera_ids text[],
    zone_ids text[],
    min_confidence real,
    schedule jsonb,
    conditions jsonb,
    dedup_key_template text DEFAULT '{camera_id}:{rule_id}'::text NOT NULL,
    cooldown_seconds integer DEFAULT 300 NOT NULL,
    channels jsonb DEFAULT '[]'::jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT alert_rules_cooldown_seconds_check CHECK ((cooldown_seconds >= 0)),
    CONSTRAINT alert_rules_min_confidence_check CHECK (((min_confidence >= (0)::double precision) AND (min_confidence <= (1)::double precision))),
    CONSTRAINT alert_rules_risk_threshold_check CHECK (((risk_threshold >= 0) AND (risk_threshold <= 100)))
);

CREATE TABLE public.alerts (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    event_id bigint NOT NULL,
    rule_id uuid,
    severity public.alert_severity NOT NULL,
    status public.alert_status DEFAULT 'pending'::public.alert_status NOT NULL,
    dedup_key text NOT NULL,
    channels jsonb DEFAULT '[]'::jsonb NOT NULL,
    alert_metadata jsonb,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    delivered_at timestamp with time zone,
    acknowledged_at timestamp with time zone,
    CONSTRAINT alerts_delivery_order CHECK (((delivered_at IS NULL) OR (delivered_at >= created_at)))
);

COMMENT ON COLUMN public.alerts.dedup_key IS 'camera_id:rule_id; alerts with the same key inside the cooldown are merged';

CREATE TABLE public.api_keys (
    id integer NOT NULL,
    key_hash character(64) NOT NULL,
    name text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    revoked_at timestamp with time zone,
    is_active boolean GENERATED ALWAYS AS ((revoked_at IS NULL)) STORED
);

COMMENT ON COLUMN public.api_keys.key_hash IS 'hex SHA-256; compare with digest(key); never log the key';

CREATE SEQUENCE public.api_keys_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.api_keys_id_seq OWNED BY public.api_keys.id;

CREATE TABLE public.audit_logs (
    id bigint NOT NULL,
    occurred_at timestamp with time zone DEFAULT now() NOT NULL,
    action text NOT NULL,
    resource_type text NOT NULL,
    resource_id text,
    actor text DEFAULT 'system'::text NOT NULL,
    ip_address inet,
    user_agent text,
    details jsonb,
    status text DEFAULT 'success'::text NOT NULL,
    CONSTRAINT audit_logs_status_check CHECK ((status = ANY (ARRAY['success'::text, 'failure'::text])))
);

CREATE SEQUENCE public.audit_logs_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.audit_logs_id_seq OWNED BY public.audit_logs.id;

CREATE TABLE public.cameras (
    id text NOT NULL,
    name text NOT NULL,
    folder_path text NOT NULL,
    status public.camera_status DEFAULT 'online'::public.camera_status NOT NULL,
    settings jsonb DEFAULT '{}'::jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    last_seen_at timestamp with time zone,
    CONSTRAINT cameras_id_format CHECK ((id ~ '^[a-z0-9_]+$'::text))
);

COMMENT ON TABLE public.cameras IS 'Cameras; one upload folder each; status is kept by the watcher';

CREATE TABLE public.class_baselines (
    id bigint NOT NULL,
    camera_id text NOT NULL,
    detection_class text NOT NULL,
    hour smallint NOT NULL,
    frequency double precision DEFAULT 0 NOT NULL,
    sample_count integer DEFAULT 0 NOT NULL,
    last_updated timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT class_baselines_frequency_check CHECK ((frequency >= (0)::double precision)),
    CONSTRAINT class_baselines_hour_check CHECK (((hour >= 0) AND (hour <= 23))),
    CONSTRAINT class_baselines_sample_count_check CHECK ((sample_count >= 0))
);

COMMENT ON TABLE public.class_baselines IS 'Per-class frequency by hour; rows with few samples are not trusted';

CREATE SEQUENCE public.class_baselines_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.class_baselines_id_seq OWNED BY public.class_baselines.id;

CREATE TABLE public.detections (
    id bigint NOT NULL,
    camera_id text NOT NULL,
    event_id bigint,
    file_path text NOT NULL,
    file_type text,
    detected_at timestamp with time zone DEFAULT now() NOT NULL,
    object_type text NOT NULL,
    confidence real NOT NULL,
    bbox jsonb NOT NULL,
    thumbnail_path text,
    media_type text DEFAULT 'image'::text NOT NULL,
    CONSTRAINT detections_confidence_check CHECK (((confidence >= (0)::double precision) AND (confidence <= (1)::double precision))),
    CONSTRAINT detections_media_type_check CHECK ((media_type = ANY (ARRAY['image'::text, 'video'::text])))
);

CREATE SEQUENCE public.detections_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.detections_id_seq OWNED BY public.detections.id;

CREATE TABLE public.events (
    id bigint NOT NULL,
    batch_id text NOT NULL,
    camera_id text NOT NULL,
    started_at timestamp with time zone NOT NULL,
    ended_at timestamp with time zone,
    risk_score smallint,
    risk_level text,
    summary text,
    reasoning text,
    reviewed boolean DEFAULT false NOT NULL,
    notes text,
    is_fast_path boolean DEFAULT false NOT NULL,
    search_vector tsvector,
    CONSTRAINT events_risk_level_check CHECK ((risk_level = ANY (ARRAY['low'::text, 'medium'::text, 'high'::text, 'critical'::text]))),
    CONSTRAINT events_risk_score_check CHECK (((risk_score >= 0) AND (risk_score <= 100))),
    CONSTRAINT events_time_order CHECK (((ended_at IS NULL) OR (ended_at >= started_at)))
);

CREATE SEQUENCE public.events_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.events_id_seq OWNED BY public.events.id;

CREATE TABLE public.gpu_stats (
    id bigint NOT NULL,
    recorded_at timestamp with time zone DEFAULT now() NOT NULL,
    gpu_name text,
    gpu_utilization real,
    memory_used_mb integer,
    memory_total_mb integer,
    temperature_c real,
    inference_fps real,
    CONSTRAINT gpu_stats_gpu_utilization_check CHECK (((gpu_utilization >= (0)::double precision) AND (gpu_utilization <= (100)::double precision))),
    CONSTRAINT gpu_stats_memory_total_mb_check CHECK ((memory_total_mb > 0)),
    CONSTRAINT gpu_stats_memory_used_mb_check CHECK ((memory_used_mb >= 0))
);

CREATE SEQUENCE public.gpu_stats_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.gpu_stats_id_seq OWNED BY public.gpu_stats.id;

CREATE TABLE public.logs (
    id bigint NOT NULL,
    logged_at timestamp with time zone DEFAULT now() NOT NULL,
    level text NOT NULL,
    component text NOT NULL,
    message text NOT NULL,
    camera_id text,
    event_id bigint,
    extra jsonb,
    source text DEFAULT 'backend'::text NOT NULL,
    CONSTRAINT logs_level_check CHECK ((level = ANY (ARRAY['DEBUG'::text, 'INFO'::text, 'WARNING'::text, 'ERROR'::text, 'CRITICAL'::text])))
);

CREATE SEQUENCE public.logs_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.logs_id_seq OWNED BY public.logs.id;

CREATE TABLE public.zones (
    id text NOT NULL,
    camera_id text NOT NULL,
    name text NOT NULL,
    zone_type public.zone_type DEFAULT 'other'::public.zone_type NOT NULL,
    shape public.zone_shape DEFAULT 'rectangle'::public.zone_shape NOT NULL,
    coordinates jsonb NOT NULL,
    color text DEFAULT '#3B82F6'::text NOT NULL,
    enabled boolean DEFAULT true NOT NULL,
    priority integer DEFAULT 0 NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT zones_color_check CHECK ((color ~ '^#[0-9A-Fa-f]{6}$'::text)),
    CONSTRAINT zones_coordinates_check CHECK (((jsonb_typeof(coordinates) = 'array'::text) AND (jsonb_array_length(coordinates) >= 3)))
);

COMMENT ON TABLE public.zones IS 'Regions of a camera image; detections are matched against them';

ALTER TABLE ONLY public.activity_baselines ALTER COLUMN id SET DEFAULT nextval('public.activity_baselines_id_seq'::regclass);

ALTER TABLE ONLY public.api_keys ALTER COLUMN id SET DEFAULT nextval('public.api_keys_id_seq'::regclass);

ALTER TABLE ONLY public.audit_logs ALTER COLUMN id SET DEFAULT nextval('public.audit_logs_id_seq'::regclass);

ALTER TABLE ONLY public.class_baselines ALTER COLUMN id SET DEFAULT nextval('public.class_baselines_id_seq'::regclass);

ALTER TABLE ONLY public.detections ALTER COLUMN id SET DEFAULT nextval('public.detections_id_seq'::regclass);

ALTER TABLE ONLY public.events ALTER COLUMN id SET DEFAULT nextval('public.events_id_seq'::regclass);

ALTER TABLE ONLY public.gpu_stats ALTER COLUMN id SET DEFAULT nextval('public.gpu_stats_id_seq'::regclass);

ALTER TABLE ONLY public.logs ALTER COLUMN id SET DEFAULT nextval('public.logs_id_seq'::regclass);

ALTER TABLE ONLY public.activity_baselines
    ADD CONSTRAINT activity_baselines_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.activity_baselines
    ADD CONSTRAINT activity_baselines_slot UNIQUE (camera_id, hour, day_of_week);

ALTER TABLE ONLY public.alert_rules
    ADD CONSTRAINT alert_rules_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.alerts
    ADD CONSTRAINT alerts_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.api_keys
    ADD CONSTRAINT api_keys_key_hash_key UNIQUE (key_hash);

ALTER TABLE ONLY public.api_keys
    ADD CONSTRAINT api_keys_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.audit_logs
    ADD CONSTRAINT audit_logs_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.cameras
    ADD CONSTRAINT cameras_folder_path_key UNIQUE (folder_path);

ALTER TABLE ONLY public.cameras
    ADD CONSTRAINT cameras_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.class_baselines
    ADD CONSTRAINT class_baselines_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.class_baselines
    ADD CONSTRAINT class_baselines_slot UNIQUE (camera_id, detection_class, hour);

ALTER TABLE ONLY public.detections
    ADD CONSTRAINT detections_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.events
    ADD CONSTRAINT events_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.gpu_stats
    ADD CONSTRAINT gpu_stats_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.logs
    ADD CONSTRAINT logs_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.zones
    ADD CONSTRAINT zones_name_per_camera UNIQUE (camera_id, name);

ALTER TABLE ONLY public.zones
    ADD CONSTRAINT zones_pkey PRIMARY KEY (id);

CREATE INDEX idx_alert_rules_enabled ON public.alert_rules USING btree (severity) WHERE enabled;

CREATE INDEX idx_alerts_dedup_recent ON public.alerts USING btree (dedup_key, created_at DESC);

CREATE INDEX idx_alerts_event ON public.alerts USING btree (event_id);

CREATE INDEX idx_alerts_open ON public.alerts USING btree (created_at DESC) WHERE (status = ANY (ARRAY['pending'::public.alert_status, 'delivered'::public.alert_status]));

CREATE INDEX idx_api_keys_active ON public.api_keys USING btree (key_hash) WHERE (revoked_at IS NULL);

CREATE INDEX idx_audit_logs_details ON public.audit_logs USING gin (details);

CREATE INDEX idx_audit_logs_failures ON public.audit_logs USING btree (occurred_at DESC) WHERE (status = 'failure'::text);

CREATE INDEX idx_audit_logs_occurred ON public.audit_logs USING btree (occurred_at DESC);

CREATE INDEX idx_audit_logs_resource ON public.audit_logs USING btree (resource_type, resource_id);

CREATE INDEX idx_class_baselines_sparse ON public.class_baselines USING btree (camera_id, detection_class) WHERE (sample_count < 10);

CREATE INDEX idx_detections_bbox ON public.detections USING gin (bbox jsonb_path_ops);

CREATE INDEX idx_detections_camera_time ON public.detections USING btree (camera_id, detected_at DESC);

CREATE INDEX idx_detections_event ON public.detections USING btree (event_id) WHERE (event_id IS NOT NULL);

CREATE INDEX idx_events_camera_started ON public.events USING btree (camera_id, started_at DESC);

CREATE INDEX idx_events_risk_high ON public.events USING btree (risk_score) WHERE (risk_level = ANY (ARRAY['high'::text, 'critical'::text]));

CREATE INDEX idx_events_search_vector ON public.events USING gin (search_vector);

CREATE INDEX idx_events_unreviewed ON public.events USING btree (started_at DESC) WHERE (NOT reviewed);

CREATE INDEX idx_gpu_stats_recorded ON public.gpu_stats USING btree (recorded_at DESC);

CREATE INDEX idx_logs_errors ON public.logs USING btree (logged_at DESC) WHERE (level = ANY (ARRAY['ERROR'::text, 'CRITICAL'::text]));

CREATE INDEX idx_logs_logged_at ON public.logs USING btree (logged_at DESC);

CREATE INDEX idx_zones_camera_enabled ON public.zones USING btree (camera_id, priority DESC) WHERE enabled;

CREATE TRIGGER events_search_vector_trigger BEFORE INSERT OR UPDATE OF summary, reasoning, notes ON public.events FOR EACH ROW EXECUTE FUNCTION public.events_search_vector_update();

ALTER TABLE ONLY public.activity_baselines
    ADD CONSTRAINT activity_baselines_camera_id_fkey FOREIGN KEY (camera_id) REFERENCES public.cameras(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.alerts
    ADD CONSTRAINT alerts_event_id_fkey FOREIGN KEY (event_id) REFERENCES public.events(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.alerts
    ADD CONSTRAINT alerts_rule_id_fkey FOREIGN KEY (rule_id) REFERENCES public.alert_rules(id) ON DELETE SET NULL;

ALTER TABLE ONLY public.class_baselines
    ADD CONSTRAINT class_baselines_camera_id_fkey FOREIGN KEY (camera_id) REFERENCES public.cameras(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.detections
    ADD CONSTRAINT detections_camera_id_fkey FOREIGN KEY (camera_id) REFERENCES public.cameras(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.detections
    ADD CONSTRAINT detections_event_id_fkey FOREIGN KEY (event_id) REFERENCES public.events(id) ON DELETE SET NULL;

ALTER TABLE ONLY public.events
    ADD CONSTRAINT events_camera_id_fkey FOREIGN KEY (camera_id) REFERENCES public.cameras(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.logs
    ADD CONSTRAINT logs_camera_id_fkey FOREIGN KEY (camera_id) REFERENCES public.cameras(id) ON DELETE SET NULL;

ALTER TABLE ONLY public.logs
    ADD CONSTRAINT logs_event_id_fkey FOREIGN KEY (event_id) REFERENCES public.events(id) ON DELETE SET NULL;

ALTER TABLE ONLY public.zones
    ADD CONSTRAINT zones_camera_id_fkey FOREIGN KEY (camera_id) REFERENCES public.cameras(id) ON DELETE CASCADE;
