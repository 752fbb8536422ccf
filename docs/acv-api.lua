---@meta acvtrack-plugins
--- Editor support for acvtrack script and plugin authors: LuaLS (lua-language-server) annotations
--- for the `acv` table (the global `acv` of every scoring script, validation rule and plugin, and
--- `ctx.acv` in a plugin: the same table), for the `ctx` argument the engine passes to a plugin's
--- export/import/render function, and for the table a plugin file returns. Nothing here runs: the
--- engine provides the real functions (engine/lua/acv_api.c has the one registry of `acv`; a test
--- checks that every name there has a stub here and every stub a name there).
--- docs/plugins.md and docs/scripting.md are the guides.
---
--- Use: point LuaLS at this folder ("workspace.library": ["<acvtrack>/docs"] in .luarc.json, or
--- open the acvtrack folder itself), then annotate a plugin:
---
---     ---@type acv.Plugin
---     return { api = 1, name = "my-format", ... }
---
--- Plugin interface version 1 (acv.api == 1).

-- ---- the declaration a plugin file returns ----------------------------------------------------

---@class acv.Option
---@field name string  option name, given as `--opt name=value`
---@field help string  one line shown by `acvtrack plugins --all`

---@alias acv.Kind "exporter"|"importer"|"renderer"|"validator"

---@class acv.Plugin
---@field api 1                      plugin interface version; must be 1
---@field name string                the --format NAME (unique; an overlay's plugin of the same name replaces the shipped one)
---@field version string             the plugin's own version, e.g. "1.0.0"
---@field kind acv.Kind              exporters/renderers provide export/render, importers import, validators validate
---@field description string         one line for `acvtrack plugins`
---@field options? acv.Option[]      documented options (ctx.options holds whatever was given)
---@field export? fun(ctx: acv.Context)   exporter: write files through ctx.out:file()
---@field render? fun(ctx: acv.Context)   renderer: like export
---@field import? fun(ctx: acv.Context)   importer: read ctx.inputs, emit through ctx.out
---@field validate? fun(ctx: acv.Context) validator

-- ---- ctx ------------------------------------------------------------------------------------

---@class acv.Context
---@field acv acv.API                   the read-only data API
---@field out acv.Sink                  where the plugin's output goes (written only if it finishes without error)
---@field options table<string, string> `--opt key=value` pairs, plus `area` and `year` from --area and --year
---@field inputs? acv.Input[]           importers: the files given on the command line (folders are read recursively, in name order)

---@class acv.Input
---@field name string  path relative to the folder given, prefixed with that folder's name ("opensdg-barcelona/data/indicator_1-1-1.csv"), or the file name
---@field text string  the whole file (at most 64 MiB per file, 5,000 files)

-- ---- ctx.acv --------------------------------------------------------------------------------

--- The same table everywhere. Functions marked "plugins only" read the workspace: they work while
--- a plugin runs and raise "acv.NAME: only plugins read the workspace ..." in scoring scripts and
--- validation rules, which get their data as input. A wrong argument raises like Lua's own
--- functions do: "plugins/x.lua:12: bad argument #1 to 'observations' (field 'area': string
--- expected, got nil)".
---@class acv.API
---@field api integer              the plugin interface version (1)
---@field version string           the acvtrack version
---@field framework acv.Framework  the loaded framework (with the overlay's changes, if any); read-only
acv = {}

---@class acv.Area
---@field code string
---@field name string
---@field level string     region, country, province, district, city, municipality or other
---@field parent? string   parent area code
---@field country? string
---@field source? string
---@field population? number
---@field population_year? integer

--- Every area of the workspace (plugins only).
---@return acv.Area[]
function acv.areas() end

---@class acv.Observation
---@field indicator string  indicator, data element or data series code ("SC.ENV.1", "DE.POP", "SDG:11.6.2")
---@field name string       its name (a data series' name as its importer gave it)
---@field period string     "2024"
---@field year integer      the period's year
---@field value number
---@field unit? string      the unit of the indicator, data element or series
---@field source? string
---@field comment? string
---@field disaggregation? table<string, string>  {Sex = "Female", ...}; absent for a total

---@class acv.ObservationQuery
---@field area string        area code (required)
---@field indicator? string  one code only
---@field disaggregations? boolean  true: the disaggregated values too (default: totals only)

--- Stored observations of an area (totals only, unless the query asks for disaggregations),
--- ordered by code, disaggregation and period. Raises an error for an unknown area. Plugins only.
---@param query acv.ObservationQuery
---@return acv.Observation[]
function acv.observations(query) end

---@class acv.Target
---@field kind string        abs, rel_pct, rel_pp, rel_abs, halve_gap or none
---@field value? number
---@field baseline? string
---@field provenance string
---@field reference string
---@field text string        in words, e.g. "≥ 95" or "-50% vs 2015"

---@class acv.Indicator
---@field id string
---@field name string
---@field short_name? string
---@field definition? string
---@field unit string
---@field unit_code? string  the declared unit code (docs/framework-format.md `unit_code`), when there is one
---@field direction string   higher, lower, higher_to_cap or contextual
---@field action_area string
---@field pillar string
---@field core boolean
---@field local boolean      added by a city overlay
---@field worst? number
---@field best? number
---@field sdg string[]       linked SDG indicator codes ("11.6.2", "4.a.1(b)")
---@field sdg_relation? string direct, related, local_analogue or proxy
---@field targets table<integer, acv.Target> by year (2030, 2045)

---@class acv.Pillar
---@field id string
---@field name string

---@class acv.ActionArea
---@field id string
---@field name string
---@field pillar string

--- acv.framework: read-only at every level (#, ipairs and pairs work as on any table). Calling
--- it, acv.framework(), returns the table itself, as plugins written when it was a function expect.
---@class acv.Framework
---@field id string
---@field name string
---@field version string
---@field hash string         SHA-256 of the framework files (with the overlay's)
---@field overlay? string     the overlay's name, when one is applied
---@field pillars acv.Pillar[]
---@field action_areas acv.ActionArea[]
---@field indicators acv.Indicator[]

---@class acv.Result
---@field value? number
---@field period? string
---@field score? number        0-100
---@field n_scored? integer
---@field n_total? integer
---@field note? string         why there is no score
---@field class? string        progress class (on_track, progress_needs_acceleration, ...)
---@field class_label? string  the class in words
---@field symbol? string       the class as a symbol
---@field imputed? boolean
---@field target_gap? number

---@class acv.Run
---@field id integer
---@field year integer
---@field created_at string
---@field engine_version string
---@field framework_hash string
---@field data_hash string
---@field methods_hash string
---@field overlay? string

---@class acv.Priority
---@field action_area string
---@field priority number
---@field reasons string

---@class acv.Results
---@field area {code: string, name: string, level: string, country?: string, population?: number}
---@field run acv.Run
---@field overall acv.Result
---@field pillars table<string, acv.Result>       by pillar id
---@field action_areas table<string, acv.Result>  by action area id
---@field indicators table<string, acv.Result>    by indicator id (an empty table when the run has none)
---@field alignment? acv.Result                   self-assessment alignment, when scored
---@field priorities acv.Priority[]
---@field overlay_changes string[]

--- The latest stored scoring run of an area (of `year` when given). Raises an error when there is
--- none ("score the area first"). Plugins only.
---@param area string
---@param year? integer
---@return acv.Results
function acv.results(area, year) end

---@class acv.CsvRow: string[]
---@field line integer  the line where the record starts (1-based)

--- The engine's strict RFC 4180 reader (UTF-8, BOM and CRLF accepted, blank lines skipped). Rows
--- are arrays of strings, the header included. Raises "name:line: message" on malformed input.
---@param text string
---@param name? string  used in messages
---@return acv.CsvRow[]
function acv.parse_csv(text, name) end

--- The engine's bounded YAML reader. Mappings become tables, sequences arrays; scalars stay
--- strings (convert with tonumber). Raises "name:line: message" on malformed input.
---@param text string
---@param name? string
---@return any
function acv.parse_yaml(text, name) end

-- ---- ctx.out --------------------------------------------------------------------------------

---@class acv.File
---@field name string
local File = {}

--- Appends text as it is (no CSV quoting, no formula defusing).
---@param ... string
function File:write(...) end

--- Appends one CSV record (RFC 4180, CRLF). Cells are strings, numbers, booleans or nil (empty).
--- A string cell starting with =, +, -, @, tab or carriage return gets a leading apostrophe so
--- spreadsheets do not run it as a formula; numbers are never changed. Numbers are written with
--- 15 significant digits; with {exact = true}, with as many as it takes (15 or 17) to read back
--- the same number (data meant to be imported again).
---@param row (string|number|boolean|nil)[]
---@param opts? {exact: boolean}
function File:csv(row, opts) end

---@class acv.Sink
local Sink = {}

--- Opens (or reopens) an output file. name: a relative path of letters, digits, "_", "-", "." and
--- "/" (no ".."). Exporters writing one file go to -o PATH; several files go under -o FOLDER.
---@param name? string  default "output"
---@return acv.File
function Sink:file(name) end

---@class acv.OutObservation
---@field area string
---@field indicator string    a framework indicator, data element or data series code
---@field period string|integer  a year, e.g. "2024"
---@field value string|number
---@field source? string
---@field status? string      provisional, final, estimated or imputed
---@field comment? string
---@field file? string        where the value was read (errors, rejects and history name file:line)
---@field line? integer
---@field disaggregation? table<string, string|number>  {Sex = "Female", Age = "15-24"}: a
---                           disaggregated value (names without "=" or ";", values without ";";
---                           blank values are the total); absent: the total

--- Importers: one observation. All of them are imported in one transaction after the plugin
--- returns; the first bad one rolls everything back (with --rejects it goes to the rejects file).
---@param obs acv.OutObservation
function Sink:observation(obs) end

---@class acv.OutSkip
---@field file string         the file the row was read from
---@field line integer
---@field reason string       why it is left out ("repeats line 30 (...); row skipped")
---@field area? string        what was read, for the rejects file
---@field indicator? string
---@field period? string
---@field value? string
---@field disaggregation? table<string, string|number>  as out:observation's (the rejects file
---                           writes it as "name=value;name=value")

--- Importers: a source row left out on purpose, with its reason. It counts as a row read: the
--- import lists the first ones on standard error and the count of the rest; with --rejects
--- every one goes to the rejects file (rows read = imported + rejected). Never an error.
---@param row acv.OutSkip
function Sink:skip(row) end

---@class acv.OutArea
---@field code string
---@field name string
---@field level string
---@field parent? string
---@field country? string
---@field source? string

--- Importers: an area to create when it does not exist yet (an existing one is left unchanged).
---@param area acv.OutArea
function Sink:area(area) end

---@class acv.OutSeries
---@field code string   e.g. "SDG:11.6.2"; at most 100 characters
---@field name string
---@field unit? string

--- Importers: a data series outside the framework (created, or renamed when it exists). Series
--- "SDG:<code>" are used by framework indicators linked to that SDG indicator when they have no
--- data of their own.
---@param series acv.OutSeries
function Sink:series(series) end
