"""What the API reads and answers. Inputs forbid unknown fields and refuse what the database could not
hold (NUL characters, text over its limit, dates out of range), so bad input is a 422, never a 500."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Annotated, Any, Literal

from django.conf import settings
from ninja import Schema
from pydantic import AfterValidator, ConfigDict, Field

# The codes, written out so that the schema and the type checker both see them (a test holds them to the
# models' choices).
Category = Literal[
    "identity", "legal", "risk", "intelligence", "health", "interventions", "family", "general"
]
PhaseCode = Literal["custody", "release_planning", "community", "reintegration", "closed"]
NatureCode = Literal["fact", "assessment"]


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


Text = Annotated[str, AfterValidator(_no_nul)]
# Dates a case can hold: not before 1900, not after 2100 (a date typed with a wrong year is caught here).
Day = Annotated[date, Field(ge=date(1900, 1, 1), le=date(2100, 12, 31))]


class Input(Schema):
    model_config = ConfigDict(extra="forbid")


Cursor = Annotated[Text, Field(max_length=200, description="The `next_cursor` of the page before")]
Limit = Annotated[int, Field(ge=1, le=100, description="How many on a page (50 if absent)")]


class CaseFilters(Schema):
    phase: PhaseCode | None = None
    scope: Literal["all", "mine"] = Field("all", description="all you may see, or your caseload")
    cursor: Cursor | None = None
    limit: Limit | None = None


class TimelineFilters(Schema):
    category: Category | None = None
    since: Day | None = Field(None, description="Entries that happened on or after this day")
    until: Day | None = Field(None, description="Entries that happened on or before this day")
    cursor: Cursor | None = None
    limit: Limit | None = None


class SearchQuery(Schema):
    q: Annotated[
        Text, Field(min_length=1, max_length=200, description="Words of a name, a reference or a number")
    ]
    reason: Annotated[
        Text, Field(max_length=500, description="Why you look outside your caseload (logged)")
    ] = ""


class PageFilters(Schema):
    cursor: Cursor | None = None
    limit: Limit | None = None


class NotificationFilters(Schema):
    unread: bool = False
    cursor: Cursor | None = None
    limit: Limit | None = None


class PersonOut(Schema):
    id: int
    full_name: str
    date_of_birth: date | None
    nationality: str


class CaseSummary(Schema):
    id: int
    reference: str
    phase: PhaseCode
    phase_label: str
    person: PersonOut | None = Field(description="Absent when you do not hold the identity category")
    lead_agency: str | None
    my_responsibility: str | None = Field(description="lead, support … when you are on the case team")
    last_activity_at: datetime
    url: str = Field(description="The case page")


class Page(Schema):
    next_cursor: str | None = Field(description="Send as `cursor` for the next page; null on the last")


class CaseList(Page):
    items: list[CaseSummary]


class TeamPlace(Schema):
    name: str
    agency: str
    responsibility: str
    function: str


class CaseDetail(CaseSummary):
    version: int = Field(description="Also the ETag: send it in If-Match to change the case")
    next_phase: PhaseCode | None
    opened_at: datetime
    team: list[TeamPlace]
    categories: list[Category] = Field(description="The data categories of this case you may read")
    relation: str = Field(description="Why you may see the case (lead, team, manager, agreement …)")


class Entry(Schema):
    id: int
    kind: str
    category: Category
    nature: NatureCode
    body: str
    occurred_at: datetime
    recorded_at: datetime
    author: str
    author_agency: str | None


class EntryList(Page):
    items: list[Entry]


class NoteIn(Input):
    body: Annotated[Text, Field(min_length=1, max_length=settings.NOTE_MAX_LENGTH)]
    category: Category
    nature: NatureCode = "fact"
    occurred_on: Day | None = Field(default=None, description="When it happened (today if absent)")


class PhaseIn(Input):
    to_phase: PhaseCode
    reason: Annotated[Text, Field(max_length=500)] = ""


class SearchResult(Schema):
    id: int
    reference: str
    person: PersonOut
    mine: bool = Field(description="On your caseload; others are listed only when you give a reason")
    url: str


class SearchAnswer(Schema):
    items: list[SearchResult]
    hidden_count: int = Field(description="Matches outside your caseload, shown when you give a reason")


class NotificationOut(Schema):
    id: int
    subject: str
    body: str
    url: str
    case_id: int | None
    created_at: datetime
    read_at: datetime | None


class NotificationList(Page):
    items: list[NotificationOut]


class EventTypeOut(Schema):
    type: str
    cloudevents_type: str
    category: Category
    description: str


class SubscriptionIn(Input):
    url: Annotated[Text, Field(min_length=10, max_length=500, pattern=r"^https?://[^\s]+$")]
    event_types: list[Annotated[Text, Field(max_length=60)]] = Field(
        default_factory=list, max_length=50, description="Empty: every type"
    )
    categories: list[Category] = Field(default_factory=list, description="Empty: every category you hold")


class SubscriptionOut(Schema):
    id: int
    url: str
    event_types: list[str]
    categories: list[str]
    is_active: bool
    created_at: datetime


class SubscriptionCreated(SubscriptionOut):
    secret: str = Field(description="Signs every delivery; shown only now")


class SentenceOut(Schema):
    sentence_type: str
    sentence_start: date
    sentence_end: date | None
    earliest_release: date | None
    parole_eligibility: date | None
    conditional_release: date | None
    release_date: date | None
    licence_end: date | None
    recalled_on: date | None
    is_terrorism: bool
    jurisdiction: str
    responsibility: str
    responsibility_label: str
    responsibility_reason: str
    handover_starts_on: date | None
    offences: list[str]


class ConditionOut(Schema):
    id: int
    code: str
    wording: str
    category: str
    status: str
    ordered_on: date | None
    active_from: date | None
    active_until: date | None
    fd_measure: str = Field(description="The probation measure of Framework Decision 2008/947/JHA, Art. 4(1)")


class InformationIn(Input):
    source: Annotated[Text, Field(min_length=2, max_length=200, description="Who passed it on")]
    received_on: Day
    reliability: Literal["A", "B", "C", "D", "E", "F"] = Field(description="Of the source (A–F)")
    credibility: Literal["1", "2", "3", "4", "5", "6"] = Field(description="Of the information (1–6)")
    category: Category
    summary: Annotated[Text, Field(min_length=1, max_length=5000)]


class InformationOut(Schema):
    id: int
    acknowledge_by: datetime
    routed_to: str


class ReviewFilters(Schema):
    scope: Literal["all", "mine"] = "mine"
    due_before: Day | None = None
    cursor: Cursor | None = None
    limit: Limit | None = None


class ReviewDueOut(Schema):
    id: int
    case_id: int
    case_reference: str
    kind: str
    due_on: date
    reason: str
    overdue: bool


class ReviewDueList(Page):
    items: list[ReviewDueOut]


class RequestOut(Schema):
    id: int
    kind: str
    details: str
    starts_on: date | None
    ends_on: date | None
    requested_at: datetime
    outcome: str
    conditions: str
    decided_at: datetime | None


class SummarySection(Schema):
    heading: str
    text: str


class ReferralOut(Schema):
    id: int
    programme: str
    status: str
    submitted_at: datetime | None
    referring_agency: str
    reason: str
    summary: list[SummarySection]


class ReferralList(Page):
    items: list[ReferralOut]


class ReleaseOut(Schema):
    slug: str
    version: int
    title: str
    summary: str
    published_at: datetime | None
    page: str
    content: dict[str, Any]


class AttentionFilters(Schema):
    scope: Literal["mine", "agency"] = Field("mine", description="agency: a manager's agencies' cases")
    group: Annotated[Text, Field(max_length=60)] | None = Field(None, description="One heading, e.g. Risk")
    cursor: Cursor | None = None
    limit: Limit | None = None


class AttentionOut(Schema):
    text: str
    group: str
    due_on: date | None
    overdue: bool
    when: str = Field(description="overdue, today, this week or later")
    case_id: int | None
    case_reference: str
    person: str = Field(description="The person's name where you may see it")
    owner: str | None
    link: str = Field(description="The page where it is done")


class AttentionCount(Schema):
    group: str
    count: int


class AttentionList(Page):
    items: list[AttentionOut]
    total: int = Field(description="Items on the whole list, under every heading")
    overdue: int = Field(description="Of which overdue")
    counts: list[AttentionCount] = Field(description="Items under each heading, in the headings' order")


class ConferenceOut(Schema):
    id: int
    kind: str
    title: str
    held_on: date
    starts_at: time | None
    place: str
    status: str
    chair: str
    minutes_approved_at: datetime | None


class DecisionOut(Schema):
    decision: str
    rationale: str
    outcome: str
    conditions: str
    decided_at: datetime
    triggers_plan_review: bool


class ActionOut(Schema):
    description: str
    owner: str
    due_on: date
    done: bool


class AgendaItemOut(Schema):
    case_id: int
    title: str
    decisions: list[DecisionOut]
    actions: list[ActionOut]
    withheld: list[str] = Field(description="What is left out for you, said without its content")


class ConferenceDetail(ConferenceOut):
    agenda: list[AgendaItemOut]
