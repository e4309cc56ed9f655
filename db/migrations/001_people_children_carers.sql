-- People, children, carers, allocations and placements: the records everything else stands on.
-- Children and carers keep their validated document in `doc`; the columns beside it are the
-- facts queries and rules need (access, placement checks). Nothing here is ever deleted (R3).

CREATE FUNCTION london_today() RETURNS date
  LANGUAGE sql STABLE AS $$ SELECT (now() AT TIME ZONE 'Europe/London')::date $$;

-- Timestamps in answers: RFC 3339, UTC, whole seconds.
CREATE FUNCTION iso_utc(t timestamptz) RETURNS text
  LANGUAGE sql IMMUTABLE AS $$ SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') $$;

CREATE TABLE people (
  id          text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9._@:-]{1,128}$'),
  name        text NOT NULL,
  email       text,
  team        text,
  manager_id  text REFERENCES people (id),
  roles       text[] NOT NULL,
  version     integer NOT NULL DEFAULT 1,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX people_team ON people (team);

CREATE TABLE children (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  team           text,
  doc            jsonb NOT NULL CHECK (jsonb_typeof(doc) = 'object'),
  date_of_birth  date NOT NULL,
  version        integer NOT NULL DEFAULT 1,
  created_by     text NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX children_team ON children (team, id);

CREATE TABLE carers (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  team             text,
  doc              jsonb NOT NULL CHECK (jsonb_typeof(doc) = 'object'),
  agency_id        text,
  approval_status  text,
  approved_on      date,
  max_children     integer,
  version          integer NOT NULL DEFAULT 1,
  created_by       text NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX carers_team ON carers (team, id);
CREATE INDEX carers_agency ON carers (agency_id, id);

-- A case system's identifier of a record: unique per system and kind of record.
CREATE TABLE external_ids (
  resource_type  text NOT NULL CHECK (resource_type IN ('child', 'carer', 'placement')),
  system         text NOT NULL,
  external_id    text NOT NULL,
  resource_id    uuid NOT NULL,
  PRIMARY KEY (resource_type, system, external_id)
);
CREATE INDEX external_ids_resource ON external_ids (resource_id);

-- Who works a case: a child's csw, iro or family finder; a carer's ssw.
CREATE TABLE allocations (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  child_id    uuid REFERENCES children (id),
  carer_id    uuid REFERENCES carers (id),
  person_id   text NOT NULL REFERENCES people (id),
  role        text NOT NULL CHECK (role IN ('csw', 'iro', 'family_finder', 'ssw')),
  from_date   date NOT NULL,
  to_date     date,
  created_by  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  CHECK ((child_id IS NULL) <> (carer_id IS NULL)),
  CHECK ((role = 'ssw') = (carer_id IS NOT NULL)),
  CHECK (to_date IS NULL OR to_date >= from_date)
);
CREATE INDEX allocations_person ON allocations (person_id, role);
CREATE INDEX allocations_child ON allocations (child_id) WHERE child_id IS NOT NULL;
CREATE INDEX allocations_carer ON allocations (carer_id) WHERE carer_id IS NOT NULL;

-- Placements in the SSDA903 vocabulary (POLICY.md section E).
CREATE TABLE placements (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  child_id        uuid NOT NULL REFERENCES children (id),
  carer_id        uuid NOT NULL REFERENCES carers (id),
  start_date      date NOT NULL,
  placement_type  text NOT NULL,
  end_date        date,
  end_reason      text,
  unplanned       boolean,  -- set from the ending reason (POLICY.md E); null: a person must say
  version         integer NOT NULL DEFAULT 1,
  created_by      text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  CHECK (end_date IS NULL OR end_date >= start_date),
  CHECK ((end_date IS NULL) = (end_reason IS NULL))
);
-- A child has at most one open placement.
CREATE UNIQUE INDEX placements_one_open ON placements (child_id) WHERE end_date IS NULL;
CREATE INDEX placements_carer_open ON placements (carer_id) WHERE end_date IS NULL;
CREATE INDEX placements_child ON placements (child_id, id);

-- The relationships through which a person reaches a child (domain/access.c names which grant what).
CREATE VIEW child_relationships (child_id, person_id, kind) AS
  SELECT a.child_id, a.person_id, a.role
    FROM allocations a
   WHERE a.child_id IS NOT NULL AND a.from_date <= london_today()
     AND (a.to_date IS NULL OR a.to_date > london_today())
  UNION ALL
  SELECT p.child_id, a.person_id, 'placed_with_ssw'
    FROM placements p
    JOIN allocations a ON a.carer_id = p.carer_id AND a.role = 'ssw'
   WHERE p.end_date IS NULL AND a.from_date <= london_today()
     AND (a.to_date IS NULL OR a.to_date > london_today())
  UNION ALL
  SELECT c.id, pe.id, 'team'
    FROM children c
    JOIN people pe ON pe.team = c.team;

-- The relationships through which a person reaches a carer.
CREATE VIEW carer_relationships (carer_id, person_id, kind) AS
  SELECT a.carer_id, a.person_id, 'ssw'
    FROM allocations a
   WHERE a.carer_id IS NOT NULL AND a.from_date <= london_today()
     AND (a.to_date IS NULL OR a.to_date > london_today())
  UNION ALL
  SELECT p.carer_id, a.person_id, 'carer_of_csw_child'
    FROM placements p
    JOIN allocations a ON a.child_id = p.child_id AND a.role = 'csw'
   WHERE p.end_date IS NULL AND a.from_date <= london_today()
     AND (a.to_date IS NULL OR a.to_date > london_today())
  UNION ALL
  SELECT c.id, pe.id, 'team'
    FROM carers c
    JOIN people pe ON pe.team = c.team;

-- Whether `person` reaches the child through one of `kinds`.
CREATE FUNCTION child_visible(child uuid, person text, kinds text[]) RETURNS boolean
  LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM child_relationships r
                    WHERE r.child_id = child AND r.person_id = person AND r.kind = ANY (kinds))
$$;

-- Whether `person` (of `agency`, for agency tokens) reaches the carer through one of `kinds`.
CREATE FUNCTION carer_visible(carer uuid, carer_agency text, person text, agency text, kinds text[])
  RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT 'any_carer' = ANY (kinds)
        OR ('own_agency' = ANY (kinds) AND carer_agency IS NOT NULL AND carer_agency = agency)
        OR EXISTS (SELECT 1 FROM carer_relationships r
                    WHERE r.carer_id = carer AND r.person_id = person AND r.kind = ANY (kinds))
$$;

-- The JSON answers of each record, in one place.
CREATE FUNCTION person_json(p people) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object('id', p.id, 'name', p.name, 'email', p.email, 'team', p.team,
                            'manager_id', p.manager_id, 'roles', to_jsonb(p.roles),
                            'version', p.version, 'created_at', iso_utc(p.created_at),
                            'updated_at', iso_utc(p.updated_at))
$$;

CREATE FUNCTION child_json(c children) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object('id', c.id, 'team', c.team, 'version', c.version,
                            'created_at', iso_utc(c.created_at),
                            'updated_at', iso_utc(c.updated_at)) || c.doc
$$;

-- agency_id is always present: null means an in-house carer.
CREATE FUNCTION carer_json(c carers) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object('id', c.id, 'team', c.team, 'agency_id', c.agency_id,
                            'version', c.version,
                            'created_at', iso_utc(c.created_at),
                            'updated_at', iso_utc(c.updated_at)) || c.doc
$$;

CREATE FUNCTION placement_json(p placements) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object('id', p.id, 'child_id', p.child_id, 'carer_id', p.carer_id,
                            'start_date', p.start_date, 'placement_type', p.placement_type,
                            'end_date', p.end_date, 'reason', p.end_reason,
                            'unplanned', p.unplanned, 'version', p.version,
                            'created_at', iso_utc(p.created_at))
$$;

CREATE FUNCTION allocation_json(a allocations) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT jsonb_strip_nulls(jsonb_build_object('id', a.id, 'child_id', a.child_id,
                                              'carer_id', a.carer_id, 'person_id', a.person_id,
                                              'role', a.role, 'from', a.from_date))
         || jsonb_build_object('to', a.to_date)
$$;
