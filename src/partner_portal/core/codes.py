"""Every finding code `portal` reports, in one registry: the layer that reports it, its
severity, a title and an explanation for program teams.

A finding can only carry a code registered here (`Finding` refuses any other), so this
table is complete by construction. The README's table of codes and the portal's data
dictionary are produced from it; `portal codes` prints it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class Layer(StrEnum):
    """The layers of `portal check`, in the order they run."""

    SYNTAX = "syntax"
    SCHEMA = "schema"
    REFERENCES = "references"
    RULES = "rules"
    TABLES = "tables"


SYNTAX, SCHEMA, REFERENCES, RULES, TABLES = Layer.SYNTAX, Layer.SCHEMA, Layer.REFERENCES, Layer.RULES, Layer.TABLES
ERROR, WARNING = Severity.ERROR, Severity.WARNING


@dataclass(frozen=True)
class Code:
    code: str
    layers: tuple[Layer, ...]  # the layers that report it; most codes have one
    severity: Severity
    title: str  # a short sentence: what the code means
    explanation: str  # for program teams: what is checked, and why
    family: str = ""  # for a consistency rule: the family of rules it belongs to (FAMILIES)

    @property
    def layer(self) -> Layer:
        return self.layers[0]


_ALL: list[Code] = []


def _code(code: str, layers: Layer | tuple[Layer, ...], title: str, explanation: str,
          severity: Severity = ERROR, family: str = "") -> str:
    _ALL.append(Code(code, layers if isinstance(layers, tuple) else (layers,), severity, title,
                     " ".join(explanation.split()), family))
    return code


# The families of consistency rules, in the order the data dictionary lists them.
THRESHOLDS = "KPI thresholds"
MODELS = "Engagement models and roles"
OFFER = "Tiers, incentives, benefits and specializations"
TIME = "Time"
BANDS = "Bands and scores"
DELIVERABLES = "Plans, reports and guides"
RELEASES = "Releases"
PROGRAM = "Program rules"
FAMILIES = (THRESHOLDS, MODELS, OFFER, TIME, BANDS, DELIVERABLES, RELEASES, PROGRAM)


# -- Syntax: every file is read and parsed ------------------------------------------------

_code("yaml-syntax", SYNTAX, "The YAML cannot be parsed.",
      "The hint says what to fix: usually indentation, a colon, or a character YAML does not allow.")
_code("yaml-tab", SYNTAX, "A tab indents a YAML line.", "YAML indents with spaces only.")
_code("yaml-unclosed", SYNTAX, "A quote or bracket is not closed.",
      "The finding points where the quote or bracket opens, which is where the fix goes.")
_code("duplicate-key", SYNTAX, "A key appears twice in one mapping.",
      "Most YAML tools keep the last of two equal keys without a word, so half of a merge can vanish; "
      "the check names both places.")
_code("yaml-anchor", SYNTAX, "An anchor (&name) is used.",
      "Program data writes every value out, so a file reads the same in a review as it does to a tool.")
_code("yaml-alias", SYNTAX, "An alias (*name) is used.",
      "Aliases repeat other values and can expand a few lines into gigabytes; they are refused, never expanded.")
_code("yaml-merge-key", SYNTAX, "A merge key (<<) is used.", "Write the merged fields out in full.")
_code("yaml-tag", SYNTAX, "A YAML tag (!name) is used.",
      "Program data is plain text, numbers, lists and mappings; quote a value to make it text.")
_code("unsafe-tag", SYNTAX, "A tag that could run code (!!python/...) is used.",
      "Such tags are refused and never executed.")
_code("yaml-complex-key", SYNTAX, "A key is a list or a mapping.", "Keys are plain names.")
_code("yaml-too-deep", SYNTAX, "The data is nested more than 64 levels deep.",
      "Program data is a few levels deep; deeper nesting is a runaway bracket or indentation.")
_code("ambiguous-value", SYNTAX, "A value that YAML 1.1 tools read differently from what was meant.",
      "`no`, `yes`, `on`, `off` are yes/no values to many tools, `1:30` is 90, `010` is 8. Write true or false, "
      "or quote text.")
_code("not-a-number", SYNTAX, "`.nan`, `.inf` or a number too large to hold.", "Write a finite number.")
_code("empty-file", SYNTAX, "The file has no data.", "Add the file's content, or delete the file.")
_code("binary-file", SYNTAX, "The file is binary, not text.",
      "Commit the YAML or CSV text itself, not a spreadsheet or an archive.")
_code("wrong-encoding", SYNTAX, "The file is not UTF-8.",
      "The finding names the first byte that is not UTF-8; re-save the file as UTF-8 (CSV UTF-8 in a spreadsheet).")
_code("file-too-large", SYNTAX, "The file is over the size limit.",
      "YAML files may hold up to 2 MiB and CSV tables up to 256 MiB; larger files are refused before they are read.")
_code("unreadable-file", SYNTAX, "The file cannot be read.", "Check that it exists and can be read.")
_code("missing-file", (SYNTAX, REFERENCES), "A file the program needs is missing.",
      "Either a file that schemas/catalog.json requires, or a file named in the data (a rate table, the logo).")
_code("unsafe-path", (SYNTAX, REFERENCES), "A file or path leads out of the project.",
      "Data lives inside the project: a link out of it, or a path with `..`, is refused.")
_code("unexpected-file", SYNTAX, "A file in a data folder that is not data; it is ignored.",
      "Program data is YAML or CSV under program_data/, release records are JSON under releases/.", WARNING)
_code("csv-delimiter", SYNTAX, "The CSV is separated by semicolons, tabs or pipes, not commas.",
      "Export the table as CSV (comma delimited).")
_code("csv-header", SYNTAX, "A column of the header has no name, or spaces around it.",
      "Every column needs a clean name in the header row.")
_code("csv-duplicate-column", SYNTAX, "Two columns of the header share a name.", "Give each column its own name.")
_code("csv-ragged-row", SYNTAX, "A row has more or fewer cells than the header.",
      "A value holding a comma must be in double quotes.")
_code("csv-syntax", SYNTAX, "A CSV row cannot be read.", "Usually a stray double quote.")
_code("csv-blank-row", SYNTAX, "A CSV row is blank.", "Blank rows are skipped; delete them.", WARNING)

# -- Schema: each file against its JSON Schema ---------------------------------------------

_code("no-schema", SCHEMA, "No schema checks this file.",
      "Every data file needs an entry in schemas/catalog.json, or it cannot be trusted.")
_code("missing-field", SCHEMA, "A required field is missing.", "The hint describes the field.")
_code("unknown-field", SCHEMA, "A field the schema does not know.",
      "Usually a misspelt field name: the hint names the field meant and the fields allowed there.")
_code("wrong-type", (SCHEMA, TABLES), "A value of the wrong type.",
      "Text where a number belongs (`\"80%\"`, `$500`, `1,500`), a list where a mapping belongs; the hint gives "
      "the value to write.")
_code("invalid-value", (SCHEMA, TABLES), "A value that is not allowed.",
      "Not one of the allowed values, not in the expected form, or not a valid date; the hint lists what is allowed.")
_code("invalid-id", SCHEMA, "An id that is not a slug.", "Ids use lowercase letters, digits and single hyphens.")
_code("out-of-range", (SCHEMA, TABLES), "A number outside its allowed range.",
      "A percentage above 100, a count below one, a value too large to compute.")
_code("wrong-size", SCHEMA, "A list or text of the wrong length.", "Too few or too many items, or text too long.")
_code("duplicate-item", SCHEMA, "A list holds the same item twice.", "Remove the repeated item.")
_code("missing-value", (SCHEMA, TABLES), "A required value is empty.", "Fill it in.")
_code("schema-violation", SCHEMA, "A value breaks its schema in another way.", "The message quotes the schema.")
_code("unknown-column", SCHEMA, "A CSV column the table schema does not know.",
      "Usually a misspelt column name: the hint names the column meant.")
_code("missing-column", SCHEMA, "A required CSV column is missing.", "Add the column.")
_code("csv-missing-header", SCHEMA, "The first row of a CSV holds data, not column names.", "Add the header row.")
_code("schema-comment", SCHEMA, "A YAML file does not name its schema for editors, or names the wrong one.",
      "The first line `# yaml-language-server: $schema=...` lets editors complete and check the file.", WARNING)
_code("schema-invalid", SCHEMA, "A schema is broken.",
      "A schema that is not valid JSON or JSON Schema, or that a table schema cannot use; data cannot be "
      "checked against it.")
_code("catalog-invalid", SCHEMA, "schemas/catalog.json is broken.", "It says which schema checks which file.")
_code("release-record", SCHEMA, "A release record does not match its file name.",
      "releases/VERSION.json holds the record of version VERSION, tagged vVERSION.")

# -- References: every id referred to is defined, once --------------------------------------

_code("unknown-reference", REFERENCES, "An id that no file defines.",
      "The hint names the closest id and where ids of that kind are defined.")
_code("duplicate-id", REFERENCES, "Two items of one kind share an id.", "References cannot tell them apart.")
_code("unused-id", REFERENCES, "A role, KPI, specialization or region nothing refers to.",
      "Remove it if it is no longer part of the program.", WARNING)
_code("id-file-mismatch", REFERENCES, "A journey's id differs from its file name.",
      "The page of a journey is named after its id; the file is named after it too.")

# -- Rules: contradictions between values that each pass their schema -----------------------

# KPI thresholds: every value asked of a KPI agrees with the KPI and with the others.
KPI_THRESHOLD = _code("kpi-threshold", RULES, "Thresholds agree with their KPI.", """
    Every KPI value the program asks for (a tier requirement, an incentive's eligibility, a play's exit threshold)
    is a possible value of the KPI's unit (a percentage is between 0 and 100, a score lies on the KPI's scale) and
    is never easier to reach than the KPI's own target, unless it says why in `easier_than_target` (an entry tier
    that asks for less than the program target). A value that gives a reason but is not easier than the target is
    flagged too, so the reason does not outlive the value.""", family=THRESHOLDS)
TIER_ORDER = _code("tier-order", RULES, "Higher tiers never ask less.", """
    Tiers are compared in rank order, each with the one below it. A higher tier needs at least as many capability
    points, at least as many people in every role, every specialization of the tier below (or one that builds on
    it), and every KPI of the tier below at a value at least as demanding in the KPI's direction. Two tiers may not
    share a rank.""", family=THRESHOLDS)
INCENTIVE_PROGRESSION = _code("incentive-progression", RULES, "Follow-on incentives are never easier.", """
    An incentive that builds on another (expansion on adoption) is never easier to earn: it is open to no tier
    the base incentive excludes, requires every specialization the base requires (or one that builds on it), and
    every KPI of the base at a value at least as demanding.""", family=THRESHOLDS)
BAND_THRESHOLD = _code("band-threshold", RULES, "Rate bands start at the eligibility threshold.", """
    When an incentive's rate bands are bands of a KPI it also requires (the renewal incentive pays by renewal rate
    and asks for a renewal rate of at least 80%), the bands start exactly at that threshold: bands below it would
    pay partners who cannot earn the incentive, and a gap above it would leave eligible partners without a
    rate.""", family=THRESHOLDS)
PLAY_EXIT = _code("play-exit", RULES, "Plays end on a KPI they move.", """
    A play's exit threshold (`exit_when`) names a KPI among the KPIs the play moves (`kpis`), once; its value is
    checked against the KPI like every other threshold (kpi-threshold).""", family=THRESHOLDS)

# Engagement models and roles: who does what, on which side, at which stage.
MODEL_INCLUSION = _code("model-inclusion", RULES, "Including models carry every duty.", """
    Where an engagement model is declared to include another (the customer success manager includes the sales
    agent), every duty of the included model, the partner's and the vendor's, lists the including model too, at
    every stage.""",
    family=MODELS)
PLAY_MODEL = _code("play-model", RULES, "Plays belong to models that act at their stage.", """
    Every engagement model a play names has partner duties at the play's lifecycle stage: a play for the Adopt
    stage cannot be given to the sales-agent model when sales agents have no duty at that stage (Lumora runs it
    for them).""", family=MODELS)
JOURNEY_STAGE = _code("journey-stage", RULES, "Customer journeys fit their stage.", """
    A customer journey that names its lifecycle stage serves a KPI of that stage, and every engagement model it
    names has partner duties at that stage.""", family=MODELS)
OWNER_SIDE = _code("owner-side", RULES, "Work is owned by a role of the side that does it.", """
    Plays, renewal phases, the steps of customer journeys, the success plan and the quarterly review (its chair
    and presenters) are work the partner does, so each is owned by a role whose `party` is `partner` in
    staffing.yaml; supporting partners' plans and the program team are the vendor's, so their roles are vendor
    roles. Steps of a partner journey (the partner's own onboarding) may be owned by either side.""",
    family=MODELS)

# Tiers, incentives, benefits and specializations: what a tier gets agrees with what it can earn.
TIER_BENEFITS = _code("tier-benefits", RULES, "Higher tiers keep the benefits below.", """
    A benefit of a tier is also listed, with the same id, in every tier above it, unless the higher tier names it
    under `removes_benefits` on purpose. A tier can only remove a benefit the tier below it has.""", family=OFFER)
INCENTIVE_BENEFIT = _code("incentive-benefit", RULES, "Incentives and benefits name the same tiers.", """
    Each incentive names the tier benefit that lists it (`benefit`). Every tier the incentive is open to lists
    that benefit, and every tier listing the benefit can earn every incentive that names it, so a tier page never
    promises an incentive the tier cannot earn, nor hides one it can.""", family=OFFER)
TIER_SPECIALIZATION = _code("tier-specialization", RULES, "Tiers staff the specializations they require.", """
    A tier that requires a specialization asks for at least the specialization's staffing in every role, so the
    staffing a tier page shows is what a partner at that tier really needs.""", family=OFFER)
INCENTIVE_SPECIALIZATION = _code("incentive-specialization", RULES,
                                 "Specializations an incentive requires can be held at its tiers.", """
    When an incentive requires a specialization, every tier it is open to either requires that specialization
    (or one that builds on it) or asks for staffing that already covers the specialization's. Otherwise a partner
    at that tier would need the staffing of a higher tier to earn it.""", family=OFFER)
POINTS_TOTAL = _code("points-total", RULES, "Points add up to the maximum.", """
    The maximum points of the capability score's categories add up to the score's declared maximum; no tier asks
    for more points than that maximum; and the minimum per category is within every category's maximum.""",
    family=OFFER)
POINTS_CATEGORY = _code("points-category", RULES, "Points incentives fit their category.", """
    An incentive paid in capability points names the category of the capability score the points count towards,
    and its table never awards more points than that category's maximum.""", family=OFFER)
GRACE_PERIOD = _code("grace-period", RULES, "Grace periods name a raised requirement.", """
    A tier's grace period names one of that tier's requirements (`capability_points`, `staffing/ROLE`, `kpis/KPI`
    or `specializations/SPECIALIZATION`) once, gives the previous value for a number (a value less demanding than
    the new one, or the grace period would change nothing) and none for a specialization.""", family=OFFER)
GRACE_PERIOD_ENDED = _code("grace-period-ended", RULES, "Grace periods run past the effective date.", """
    A grace period that ends before the program version takes effect no longer applies to anyone; remove it (the
    changelog keeps it) or end it later.""", WARNING, family=OFFER)
RATE_COVERAGE = _code("rate-coverage", RULES, "Every eligible tier has rates.", """
    An incentive's rate table has rows for every tier that can earn it, and, where rates differ by region, for
    every region of the program, so no eligible partner is left without a rate.""", family=OFFER)
WORKED_EXAMPLE = _code("worked-example", RULES, "Worked examples compute.", """
    Each incentive's worked example describes a partner who can earn the incentive, and its inputs select exactly
    one row of the rate table, so the portal can compute the payout it shows.""", family=OFFER)
ROSTER_TIER = _code("roster-tier", RULES, "Listed partners meet their tier.", """
    Every partner in the roster meets the requirements of the tier it is listed at: at least as many people in
    each role as the tier asks for (staffing columns are named after role ids), every specialization the tier
    requires (or one that builds on it), and an engagement model the tier allows. While a tier's grace period for
    a raised requirement runs, the previous value is enough.""", family=OFFER)

# Time: timelines fit their windows, journeys their KPI, staffing its load.
STAGE_ORDER = _code("stage-order", RULES, "Stages are numbered in order.", """
    Lifecycle stages are numbered 1, 2, 3 and so on, each number used once, so every page and diagram shows them
    in the same order.""", family=TIME)
JOURNEY_FIT = _code("journey-fit", RULES, "Journeys fit their duration and KPI.", """
    Every step of a journey ends within the journey's stated duration, and that duration fits the target of the
    KPI the journey serves (a journey serving "time to onboard: at most 30 days" takes at most 30 days). The KPI
    must be measured in days or weeks, and each step of a journey has its own id.""", family=TIME)
RENEWAL_WINDOW = _code("renewal-window", RULES, "The renewal timeline ends before the renewal prompts.", """
    Renewal phases are listed from the earliest, each starting where the one before it ends and starting before it
    ends, and the last one (executing the renewal) ends before the vendor's first prompt, which chases the
    renewals still open: a timeline ending 3 months before the renewal date suits prompts from 90 days before.
    Prompts are sent inside the prompt window (between its earliest and latest day before the renewal date), the
    window's earliest day comes before its latest, and the window lies inside the timeline.""", family=TIME)
CAPACITY_LOAD = _code("capacity-load", RULES, "Capacity bands fit the load per customer success manager.", """
    Each capacity band asks for at least as many dedicated staff as its smallest installed base needs at the
    program's load per customer success manager (`customer_load.customers_per_csm`): 51 customers at ten per
    manager need six people.""", family=TIME)

# Bands and scores.
BAND_CONTIGUITY = _code("band-contiguity", RULES, "Bands have no gaps or overlaps.", """
    Bands (rate bands in incentive tables, capacity bands, maturity bands) follow each other with no gap and no
    overlap and cover their whole range. Table bands run from their minimum up to the next band's minimum;
    capacity and maturity bands include both ends, so the next band starts one above. Only the last band may be
    open-ended. Rate bands start and end where the incentive's `band_range` says; maturity bands cover every total
    the assessment can produce.""", family=BANDS)
BAND_MONOTONIC = _code("band-monotonic", RULES, "Better bands never pay less.", """
    Within a rate table (for the same tier and region), a band with a higher range never pays a lower rate, amount
    or number of points than the band below it; and capacity bands for larger installed bases never ask for fewer
    dedicated staff.""", family=BANDS)
ASSESSMENT_SCORING = _code("assessment-scoring", RULES, "Assessment totals follow its scoring rule.", """
    Under the assessment's scoring rule each element is worth its rating times `points_per_rating`. Each
    section's maximum is its number of elements times the top rating times `points_per_rating`, and must equal
    the declared `section_maximum`; the sections' maximums add up to the declared `maximum`. Ratings on the scale
    are whole numbers counting up by one.""", family=BANDS)

ASSESSMENT_TOTALS = _code("assessment-totals", RULES, "Completed assessments add up.", """
    A completed assessment (assessments/*.yaml) rates every element of every section of the assessment, in its
    order, on its scale. Each subtotal is the number of elements marked in that rating's column times the rating
    times `points_per_rating`; a section's points are its subtotals added up, the total is the sections' points
    added up, and the band is the maturity band the total falls in. A figure that disagrees with the marks is
    shown with the value the marks give.""", family=BANDS)
USAGE_RISK = _code("usage-risk", RULES, "Renewal risk levels follow the adoption target.", """
    The usage report's risk levels are listed from the highest risk down, each but the last below a larger active
    share than the one before, and the last open-ended. The lowest risk starts exactly at the target of the
    report's adoption KPI (`adoption_kpi`): a licence type that meets the program's adoption target is never rated
    at risk for its usage, and one that misses it always is.""", family=THRESHOLDS)

# Plans, reports and guides: the deliverables agree with the program they belong to.
USAGE_ROW = _code("usage-row", RULES, "Usage report rows can be right.", """
    Every row of a usage report (usage/*.csv) has a licensed and an active user count; no more users are active
    than are licensed or assigned; the delta is licensed minus active users; the contract ends after it starts;
    and a stated renewal risk is the one the active share gives (see usage-risk). The usage report tool applies
    the same checks in the browser to a partner's own report.""", family=DELIVERABLES)
USAGE_COLUMNS = _code("usage-columns", RULES, "Usage reports have the columns the guide describes.", """
    Every usage report under program_data/ has exactly the columns usage_report.yaml describes, in that order, so
    the guide partners read matches the file they get.""", family=DELIVERABLES)
DELIVERABLE_DEADLINE = _code("deliverable-deadline", RULES, "Deadlines for deliverables agree.", """
    An incentive that needs a deliverable (the success plan) within a number of days of the contract start gives
    at least the days the deliverable's own guide gives (`due_within_days`), and every journey step that produces
    the deliverable ends by then: a partner following the journey and the guide never misses the incentive.""",
    family=DELIVERABLES)
METRICS_FREQUENCY = _code("metrics-frequency", RULES, "Metrics are shared as often as the deliverable says.", """
    A deliverable among the metrics shared with partners (the usage report, the quarterly review) is shared as
    often as it is made: monthly for a monthly report.""", family=DELIVERABLES)
KPI_FAMILY = _code("kpi-family", RULES, "The practice guide groups KPIs by their family.", """
    Each KPI group of the practice guide (practice.yaml) lists only KPIs of its own family in kpis.yaml (customer
    health, financial, service desk): a partner reading the financial KPIs finds no lifecycle or health KPI among
    them.""", family=DELIVERABLES)

# Releases: versions and effective dates only move forward, and records agree with the data.
RELEASE_ORDER = _code("release-order", RULES, "Versions and effective dates only move forward.", """
    Each release record (releases/VERSION.json) takes effect later than the release before it and names it as
    `previous`; program.yaml's version is the newest release or a newer one, and a newer version takes effect
    later than the newest release. `portal diff` and `portal release` check the same between the two versions
    they compare, and `portal release` refuses to write a record that breaks it.""", family=RELEASES)
RELEASE_AGREES = _code("release-agrees", RULES, "The release record agrees with program.yaml.", """
    While program.yaml names a version that is already released, its effective date and release notes are the
    ones in that version's record: the What's new page and the changelog are made from the records, so a date
    changed after the release would not reach partners. Raise the version to release the change.""",
    family=RELEASES)
RAISED_REQUIREMENT = _code("raised-requirement", RULES, "Raised requirements give partners time.", """
    `portal diff` and `portal release`: a requirement raised since the last release takes effect later than that
    release, or comes with a grace period, so partners are not caught out overnight. A warning; an error with
    `--strict`.""", WARNING, family=RELEASES)

# Program rules: invariants a program team states in checks/rules/*.yaml.
PROGRAM_RULE = _code("program-rule", RULES, "A program rule in checks/rules/ is broken.", """
    The program team's own rules (checks/rules/*.yaml) select values from the program data and compare them:
    equal, at least, at most, within a range, one of a list, or exists. The finding gives the rule's own message
    and hint, at the value that breaks the rule, with the value it was compared with second. A rule may set
    `severity: warning`.""", family=PROGRAM)
PROGRAM_RULE_SELECTS_NOTHING = _code("program-rule-selects-nothing", RULES, "A program rule selects nothing.", """
    A rule whose selector matches no value checks nothing, usually because an id or a field was renamed; the
    finding points at the selector to update.""", family=PROGRAM)
PROGRAM_RULE_INVALID = _code("program-rule-invalid", RULES, "A program rule cannot be used.", """
    A rule file in checks/rules/ that breaks its schema, a selector that cannot be read or names a file the
    program does not have, or a comparison with more than one value where one is needed.""", family=PROGRAM)

INTERNAL_ERROR = _code("internal-error", (RULES, TABLES), "A check failed inside portal.", """
    A bug in `portal`, never caused by data: the check that failed is named, every other finding is still
    reported, and `portal` exits 3. Please report it with the command you ran.""")

# -- Tables: the great-expectations suites in checks/ ---------------------------------------

_code("duplicate-row", TABLES, "A row repeats the key of an earlier row.", "Both rows are named.")
_code("unknown-value", TABLES, "A value the program does not define.",
      "A tier, region or other id in a table that no YAML file defines, or a value of the wrong form.")
_code("row-condition", TABLES, "A row breaks a condition between its values.",
      "For example a band's upper limit that is not above its lower limit.")
_code("table-check", TABLES, "A row breaks a suite's expectation.", "The suite entry is named.")
_code("no-table-check", TABLES, "No suite in checks/ checks this table.", "Every CSV table needs a suite.")
_code("unknown-table", TABLES, "A suite names a table that does not exist.", "Name a CSV under program_data/.")
_code("invalid-expectation", TABLES, "A suite entry cannot be used.",
      "An unknown expectation, a column the table does not have, or a message that is not a valid template.")


# The codes a suite entry in checks/ may give its findings (`code:`), for what a row breaks.
SUITE_CODES = ("duplicate-row", "unknown-value", "out-of-range", "missing-value", "row-condition", "invalid-value",
               "wrong-type", "table-check")

CODES: dict[str, Code] = {entry.code: entry for entry in _ALL}
assert len(CODES) == len(_ALL), "a code is registered twice"
assert all(bool(entry.family) == (RULES in entry.layers and entry.code != INTERNAL_ERROR) for entry in _ALL), \
    "every rule code, and only a rule code, belongs to a family"

LAYER_ORDER = (SYNTAX, SCHEMA, REFERENCES, RULES, TABLES)


def code_of(name: str) -> Code:
    """The registered code `name`; KeyError for a code nobody registered."""
    return CODES[name]


def rule_codes() -> list[Code]:
    """The consistency rules' codes, family by family, in the order the data dictionary lists them."""
    return [entry for family in FAMILIES for entry in _ALL if entry.family == family]


def markdown_table() -> str:
    """The README's table of codes: layer, code, title (and severity when not an error)."""
    lines = ["| layer | code | meaning |", "|---|---|---|"]
    for layer in LAYER_ORDER:
        for entry in _ALL:
            if entry.layer is layer:
                warning = " (warning)" if entry.severity is WARNING else ""
                also = f" Also reported by the {', '.join(x.value for x in entry.layers[1:])} layer." if len(
                    entry.layers) > 1 else ""
                lines.append(f"| {layer.value} | `{entry.code}`{warning} | {entry.title}{also} |")
    return "\n".join(lines) + "\n"
