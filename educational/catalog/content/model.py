"""The validated content tree: what ``load_tree`` returns when the files have no problems.

Plain frozen dataclasses, no database. Courses, modules, quizzes and questions carry a
``content_hash`` computed from their normalised content (translations included), so the sync
can tell what changed. A module's position and a question's pool are left out of their own
hash: reordering is a change of the course (or quiz), not of the text a learner answered.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, is_dataclass
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

from educational.catalog.content.hashing import content_hash


def _fields_of(instance: Any, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
    """The dataclass's fields as plain data for hashing, without its hash and ``exclude``."""
    return {
        item.name: _plain(getattr(instance, item.name))
        for item in fields(instance)
        if item.name != "content_hash" and item.name not in exclude
    }


#: Leaves returned as they are, tested first: most values are (hashing 60,000 questions).
_ATOMS = frozenset({str, int, float, bool, type(None)})


def _plain(value: Any) -> Any:
    if type(value) in _ATOMS:
        return value
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


# The scheme


@dataclass(frozen=True)
class StandardVersion:
    version: str
    published: date
    #: Months the previous version stays usable after this one is published (0: none).
    transition_months: int = 0


@dataclass(frozen=True)
class Standard:
    code: str
    name: str
    #: Codes of the sectors this standard covers.
    sectors: tuple[str, ...]
    #: Oldest first; the last one is the newest.
    versions: tuple[StandardVersion, ...]
    #: The name in other languages, (language, name) pairs, from a ``name:`` mapping in
    #: scheme.yml (``name`` is the default language's); see ``catalog.scheme.label``.
    labels: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Sector:
    code: str
    name: str
    #: The name in other languages, (language, name) pairs, from a ``name:`` mapping in
    #: scheme.yml (``name`` is the default language's); see ``catalog.scheme.label``.
    labels: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class SpecialistArea:
    code: str
    name: str
    #: The name in other languages, (language, name) pairs, from a ``name:`` mapping in
    #: scheme.yml (``name`` is the default language's); see ``catalog.scheme.label``.
    labels: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class CpdCategory:
    """A category of continuing professional development (CPD) activity."""

    code: str
    name: str
    #: The most hours of this category that count towards a cycle's total; None: no cap.
    max_hours_per_cycle: int | None = None
    labels: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class CycleRules:
    """The scheme's rules for the cycle after accreditation (scheme.yml, each section
    optional; the defaults below apply to what it leaves out)."""

    #: Days before a training certificate expires on which its holder is reminded, with a
    #: link to retake the course (or its refresher).
    training_reminder_days: tuple[int, ...] = (90, 30, 7)
    #: Months after each risk factor by which the next witness assessment is due, at the
    #: latest: an upheld complaint, major or minor concerns in the last witness assessment or
    #: report review, a sector added to the scope.
    upheld_complaint_months: int = 3
    major_concerns_months: int = 6
    minor_concerns_months: int = 12
    new_sector_months: int = 12
    #: Days staff have to acknowledge a complaint, the subject has to respond when invited,
    #: and staff have to decide it after its acknowledgement.
    complaint_acknowledge_days: int = 10
    complaint_response_days: int = 21
    complaint_decide_days: int = 90
    #: Days after a decision within which the person affected may appeal, and days staff
    #: have to decide an appeal.
    appeal_window_days: int = 30
    appeal_decide_days: int = 60
    #: What the public registry shows besides statuses (default: neither).
    publish_under_appeal: bool = False
    publish_upheld_complaints: bool = False


@dataclass(frozen=True)
class Requirement:
    #: course, standard_course, qualification, audits, sector_experience,
    #: country_experience, specialist_area_evidence; at renewal also cpd and witness.
    kind: str
    #: The kind's fields with defaults filled in (``as_role`` is None when not given).
    params: dict[str, Any]


@dataclass(frozen=True)
class Role:
    code: str
    name: str
    #: Roles whose requirements this one adds to its own.
    includes: tuple[str, ...]
    requirements: tuple[Requirement, ...]
    #: False for roles registered for the whole scheme rather than per standard and sector
    #: (``scoped: false`` in scheme.yml, e.g. specialists): no scopes to choose or hold.
    scoped: bool = True
    #: The name in other languages, (language, name) pairs, from a ``name:`` mapping in
    #: scheme.yml (``name`` is the default language's); see ``catalog.scheme.label``.
    labels: tuple[tuple[str, str], ...] = ()
    #: Requirements checked only at renewal, over the cycle that ends (``renewal:``): CPD
    #: hours, a satisfactory witness assessment, and any kind of ``requirements``.
    renewal_requirements: tuple[Requirement, ...] = ()
    #: Months between two witness assessments of a holder at the most (``witness_every_months``);
    #: None: the role is not witnessed.
    witness_every_months: int | None = None


@dataclass(frozen=True)
class Scheme:
    code: str
    name: str
    default_language: str
    languages: tuple[str, ...]
    validity_years: int
    reminder_days: tuple[int, ...]
    four_eyes: bool
    standards: dict[str, Standard]
    sectors: dict[str, Sector]
    specialist_areas: dict[str, SpecialistArea]
    roles: dict[str, Role]
    #: Years before an audit in which a declared link with the audited entity is a conflict
    #: of interest.
    conflict_window_years: int = 3
    #: CPD categories by code (``cpd: categories:``), in the order of scheme.yml.
    cpd_categories: dict[str, CpdCategory] = field(default_factory=dict)
    cycle: CycleRules = field(default_factory=CycleRules)
    content_hash: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "content_hash", content_hash(_fields_of(self)))

    def role_requirements(self, role: str, *, renewal: bool = False) -> tuple[Requirement, ...]:
        """The role's requirements after its includes' (each included role counted once);
        with ``renewal``, each role's renewal requirements follow its own."""
        seen: set[str] = set()
        found: list[Requirement] = []

        def collect(code: str) -> None:
            if code in seen or code not in self.roles:
                return
            seen.add(code)
            for included in self.roles[code].includes:
                collect(included)
            found.extend(self.roles[code].requirements)
            if renewal:
                found.extend(self.roles[code].renewal_requirements)

        collect(role)
        return tuple(found)

    def witness_every_months(self, role: str) -> int | None:
        """How often a holder of ``role`` must be witnessed at the most: the role's own
        ``witness_every_months``, else the most frequent of the roles it includes; None when
        none of them is witnessed."""
        own = self.roles[role].witness_every_months if role in self.roles else None
        if own:
            return own
        months = [
            self.roles[code].witness_every_months
            for code in self._included(role)
            if code in self.roles and self.roles[code].witness_every_months
        ]
        return min(months) if months else None

    def is_scoped(self, role: str) -> bool:
        """Whether ``role`` is held per standard and sector (an unknown role is)."""
        found = self.roles.get(role)
        return found.scoped if found is not None else True

    @property
    def unscoped_roles(self) -> tuple[str, ...]:
        """The roles held for the whole scheme (``scoped: false``)."""
        return tuple(code for code, role in self.roles.items() if not role.scoped)

    def roles_satisfying(self, role: str) -> tuple[str, ...]:
        """The roles whose holders may act as ``role``: itself and every role that includes
        it (lead_auditor for auditor), the exact role first."""
        return (
            role,
            *(code for code in self.roles if code != role and role in self._included(code)),
        )

    def _included(self, code: str, seen: frozenset[str] = frozenset()) -> set[str]:
        if code in seen or code not in self.roles:
            return set()
        result: set[str] = set()
        for included in self.roles[code].includes:
            result |= {included} | self._included(included, seen | {code})
        return result


# Questions and quizzes


@dataclass(frozen=True)
class QuestionTranslation:
    text: str
    feedback: str
    #: The whole definition in this language: same ids, answers and weights as the
    #: original, translated texts. Grade answers given in this language against it.
    definition: dict[str, Any]


@dataclass(frozen=True)
class Question:
    id: str
    #: A key of ``educational.catalog.content.questiontypes.QUESTION_TYPES``.
    type: str
    points: int | float
    text: str
    #: General feedback shown on review; "" when none.
    feedback: str
    #: Everything the type needs to display and grade, normalised by the type's class.
    definition: dict[str, Any]
    translations: dict[str, QuestionTranslation] = field(default_factory=dict)
    content_hash: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "content_hash", content_hash(_fields_of(self)))

    def text_for(self, language: str) -> str:
        translation = self.translations.get(language)
        return translation.text if translation else self.text

    def feedback_for(self, language: str) -> str:
        translation = self.translations.get(language)
        return translation.feedback if translation else self.feedback

    def definition_for(self, language: str) -> dict[str, Any]:
        translation = self.translations.get(language)
        return translation.definition if translation else self.definition


@dataclass(frozen=True)
class Pool:
    id: str
    #: "" when the pool has no title.
    title: str
    questions: tuple[Question, ...]
    title_translations: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Draw:
    pool: str
    count: int


@dataclass(frozen=True)
class ReviewSettings:
    score: bool = True
    correctness: bool = True
    feedback: bool = True
    correct_answers: bool = False


@dataclass(frozen=True)
class QuizSettings:
    #: Empty: every question of every pool, every attempt.
    draw: tuple[Draw, ...] = ()
    shuffle_questions: bool = True
    shuffle_options: bool = True
    time_limit_minutes: int | None = None
    #: 0: unlimited.
    max_attempts: int = 0
    cooldown_minutes: int = 0
    #: Percent, 0 to 100.
    pass_mark: int | float = 80
    #: "highest" or "last".
    grading: str = "highest"
    review: ReviewSettings = field(default_factory=ReviewSettings)


@dataclass(frozen=True)
class Quiz:
    name: str
    title: str
    settings: QuizSettings
    pools: tuple[Pool, ...]
    title_translations: dict[str, str] = field(default_factory=dict)
    content_hash: str = field(init=False)

    def __post_init__(self) -> None:
        content = {
            "name": self.name,
            "title": self.title,
            "settings": asdict(self.settings),
            "title_translations": self.title_translations,
            "pools": [
                {
                    "id": pool.id,
                    "title": pool.title,
                    "title_translations": pool.title_translations,
                    "questions": [question.content_hash for question in pool.questions],
                }
                for pool in self.pools
            ],
        }
        object.__setattr__(self, "content_hash", content_hash(content))

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(question for pool in self.pools for question in pool.questions)


# Modules and courses


class ModuleText(NamedTuple):
    title: str
    body: str


@dataclass(frozen=True)
class Module:
    #: The file name without ".md", e.g. "01-accreditation-process".
    name: str
    #: 1-based place in the course's module list.
    position: int
    title: str
    estimated_minutes: int
    #: The name of the quiz after the text, or None.
    quiz: str | None
    #: Markdown, without the front matter.
    body: str
    translations: dict[str, ModuleText] = field(default_factory=dict)
    content_hash: str = field(init=False)

    def __post_init__(self) -> None:
        content = _fields_of(self, exclude=("position",))
        object.__setattr__(self, "content_hash", content_hash(content))


class CourseText(NamedTuple):
    title: str
    summary: str


@dataclass(frozen=True)
class Course:
    slug: str
    title: str
    summary: str
    version: str
    language: str
    languages: tuple[str, ...]
    estimated_minutes: int
    standard_code: str | None
    standard_version: str | None
    required_for: tuple[str, ...]
    translations: dict[str, CourseText]
    modules: tuple[Module, ...]
    #: Every quiz of the course folder, by name.
    quizzes: dict[str, Quiz]
    exam: str | None
    #: None: the certificate never expires.
    certificate_validity_months: int | None
    #: Image files, relative to the course folder ("images/path.png") -> SHA-256 of the bytes.
    images: dict[str, str]
    #: The slug of the course whose completion renews this one's certificate; None: retaking
    #: this course itself renews it.
    refresher: str | None = None
    content_hash: str = field(init=False)

    def __post_init__(self) -> None:
        content = _fields_of(self, exclude=("modules", "quizzes"))
        if self.refresher is None:
            del content["refresher"]  # courses without one keep the hash they had
        content["modules"] = [[module.name, module.content_hash] for module in self.modules]
        content["quizzes"] = {name: quiz.content_hash for name, quiz in self.quizzes.items()}
        object.__setattr__(self, "content_hash", content_hash(content))

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(question for quiz in self.quizzes.values() for question in quiz.questions)


@dataclass(frozen=True)
class ContentTree:
    root: Path
    scheme: Scheme
    #: By slug, sorted.
    courses: dict[str, Course]

    @property
    def module_count(self) -> int:
        return sum(len(course.modules) for course in self.courses.values())

    @property
    def question_count(self) -> int:
        return sum(len(course.questions) for course in self.courses.values())
