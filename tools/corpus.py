"""A realistic synthetic content folder of N decisions, for benchmarks and scale tests.

Deterministic for a seed. About 5% of records have a Part 2 form and about 5% are
deferred (a third each: deferral date already passed, deferral date still to come, no
date), relative to a fixed as-of date. Every text that must stay withheld on that date
carries a unique canary token, so a build can be checked for leaks by plain search; the
records whose deferral has passed carry a "released" marker instead, which must appear.

About one decision in five has a PDF annex linked from its Part 1, and about one Part 2
form in five is a PDF instead of Markdown; the PDFs of withheld material carry canaries
too (in their text and their metadata).

Public and withheld text never share wording but the stock wording (STOCK_WORDING, the
corpus's reviewed stock-wording file): records withheld on the as-of date, their annexes
and every Part 2 form are written from withheld-only sentence templates, tables and lists,
plus the stock sections that hold no data. So a leak-scan hit on a generated corpus is a
real leak.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import yaml

import foia
from foia.proof import extract
from foia.proof.fingerprints import Needles
from foia.proof.normalise import normalise, normalised_utf8
from foia.rules.records import DECISIONS_DIR, slugify

AS_OF = dt.date(2025, 6, 30)  # the benchmark's build date
FIRST_YEAR = 2014
PART2_SHARE = 0.05
DEFERRED_SHARE = 0.05

DECISION_MAKERS = (
    ("PCD", "Deputy Mayor for Policing and Crime", 0.55),
    ("DMPC", "Deputy Mayor for Policing and Crime", 0.10),
    ("DCFR", "Chief Finance Officer", 0.15),
    ("CEO", "Chief Executive Officer", 0.12),
    ("DSD", "Director of Strategy", 0.08),
)
SUBJECTS = (
    "Body Worn Video", "Violence Reduction Unit", "Custody healthcare", "Victims' services",
    "Domestic abuse perpetrator programme", "Integrated offender management", "Rape crisis centres",
    "Knife crime prevention", "Safer Neighbourhood boards", "Police estate strategy",
    "Automatic number plate recognition", "Youth diversion scheme", "Online hate crime hub",
    "Forensic services", "Independent custody visiting", "Community Safety Fund",
    "Drug testing on arrest", "Child sexual exploitation", "Emergency services mobile network",
    "Stop and search monitoring", "Fleet electrification", "Counter-terrorism protective security",
    "Restorative justice", "Witness care units", "Mental health street triage",
    "Modern slavery partnership", "Police cadets", "Missing persons unit",
    "Victim Code compliance", "Neighbourhood policing model", "Command and control replacement",
    "Special Constabulary recruitment", "Airwave radio extension", "Firearms licensing backlog",
    "Road danger reduction", "Hate crime advocacy", "Gangs exit programme", "Female offender services",
)
ACTIONS = (
    "award of contract", "grant funding", "extension of contract", "approval of business case",
    "procurement strategy", "funding variation", "memorandum of understanding", "pilot evaluation",
    "framework call-off", "budget virement", "capital release", "commissioning plan",
)
BOROUGHS = (
    "Barking and Dagenham", "Barnet", "Bexley", "Brent", "Bromley", "Camden", "Croydon", "Ealing",
    "Enfield", "Greenwich", "Hackney", "Hammersmith and Fulham", "Haringey", "Harrow", "Havering",
    "Hillingdon", "Hounslow", "Islington", "Kensington and Chelsea", "Kingston upon Thames",
    "Lambeth", "Lewisham", "Merton", "Newham", "Redbridge", "Richmond upon Thames", "Southwark",
    "Sutton", "Tower Hamlets", "Waltham Forest", "Wandsworth", "Westminster",
)
PARTNERS = (
    "the Metropolitan Police Service", "NHS England (London)", "London Councils", "the Home Office",
    "the Ministry of Justice", "the Greater London Authority", "Transport for London",
    "the London Fire Brigade", "the City of London Police", "the Crown Prosecution Service",
)
SUPPLIERS = (
    "Axon Enterprise", "Northgate Public Services", "Capita Secure Information", "Motorola Solutions",
    "Serco Health", "Mitie Care and Custody", "G4S Forensic Services", "Eurofins Forensic",
    "Victim Support", "Safer London", "St Giles Trust", "Redthread", "Standing Together",
)
TAGS = (
    "procurement", "funding", "technology", "victims", "violence", "custody", "estates",
    "partnership", "youth", "finance", "equality", "safeguarding", "transport", "innovation",
)
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")

# Sentence templates. Each opens with its own words and none is contained in another, so
# generated sentences only ever collide whole (see the module docstring).
SENTENCES = (
    "The {subject} has operated in {borough} since {month} {year}, supporting {count} cases a year.",
    "This paper seeks approval to spend up to {amount} on the {subject} in {fy}.",
    "Officers in {borough} referred {count} people to the {subject} during {fy}.",
    "An independent evaluation by {partner} found that reoffending fell by {pct} per cent among participants.",
    "Demand for the {subject} rose by {pct} per cent between {year} and {year2}.",
    "Governance is provided by a joint board chaired by the MOPAC Director of {area}.",
    "Performance will be reported quarterly to the Police and Crime Committee from {month} {year2}.",
    "Funding of {amount} is available from the {fund} budget for {fy}.",
    "Consultation with {partner} and the {borough} Safer Neighbourhood Board took place in {month} {year}.",
    "Without this investment the service in {borough} would close at the end of {month} {year2}.",
    "Key milestones include mobilisation in {month} {year2} and full operation within {weeks} weeks.",
    "Risks are recorded on the programme register and reviewed monthly by the {area} team.",
    "A market engagement exercise attracted {count} expressions of interest from potential providers.",
    "Lessons from the {borough} pilot have shaped the specification for the wider service.",
    "Savings of {amount} a year are expected once the {subject} is fully embedded.",
    "Victims told us that clearer updates on their case mattered more than any other change.",
    "Training will reach {count} frontline officers across {borough} and neighbouring areas.",
    "Data sharing with {partner} follows the agreement signed in {month} {year}.",
)
FINANCIAL = (
    "The total cost of {amount} will be met from the {fund} budget, which has sufficient provision.",
    "Expenditure is profiled over {years} financial years, with {amount} falling in {fy}.",
    "There is no impact on the MOPAC revenue budget beyond the sums set out in this paper.",
)
LEGAL = (
    "MOPAC is a contracting authority as defined in the Public Contracts Regulations 2015.",
    "The Scheme of Consent and Delegation gives the {maker} authority to approve this decision.",
    "Officers have drafted this report in accordance with MOPAC's Scheme of Delegation.",
)
EQUALITY = (
    "MOPAC is required to have due regard to the Public Sector Equality Duty in the Equality Act 2010.",
    "An equality impact assessment found no adverse impact on any group with a protected characteristic.",
)
PRIVACY = (
    "MOPAC will comply with the Data Protection Act 2018 and the UK General Data Protection Regulation.",
    "A data protection impact assessment has been completed for the {subject}.",
)
PART2_SENTENCES = (
    "The evaluation panel scored {supplier} highest at {score} points against a price of {amount}.",
    "Legal advice from counsel dated {day} {month} {year} rates the litigation risk as {risk}.",
    "The preferred bidder's day rate of {small} is commercially sensitive until contract signature.",
    "Named officer {surname} ({initial}) is the subject of a misconduct investigation relevant to this decision.",
    "Negotiations with the landlord of the {borough} site assume a premium of {amount}.",
)
PART2_REASONS = (
    "The Part 2 form contains the bidders' prices and evaluation scores, which are commercially sensitive (FOIA section 43).",
    "The Part 2 form contains legal advice subject to legal professional privilege (FOIA section 42).",
    "The Part 2 form contains personal data of named individuals (FOIA section 40).",
)
DEFERRAL_REASONS = (
    "Publication before contract signature would compromise the procurement.",
    "Publication before the operation concludes would prejudice law enforcement.",
    "Publication before the partner's own announcement would breach an agreed embargo.",
)
# The form's standard wording (each sentence template's text between its placeholders, and
# the standard Part 2 and deferral reasons): what a comms team lists in its reviewed
# stock-wording file, so a withheld record that carries it is not a leak.
STOCK_WORDING = tuple(piece.strip() for group in (SENTENCES, FINANCIAL, LEGAL, EQUALITY, PRIVACY) for s in group
                      for piece in re.split(r"\{[a-z0-9]+\}", s) if piece.strip()) + PART2_REASONS + DEFERRAL_REASONS
STOCK_FILE = "stock-wording.txt"
# Withheld-only wording: the sentences, tables and lists of records withheld on the as-of
# date and of their annexes. No public record or annex uses any of it, and its placeholders
# draw on withheld-only lists, so the plan's needles for withheld text never meet public
# text by chance (the leak scan counts any such meeting as a leak, as it must).
WITHHELD_SENTENCES = (
    "Operation {codename} moves to its covert phase once the {unit} confirms readiness.",
    "Tasking for {codename} assumes {count} deployable officers drawn from the {unit}.",
    "Exposure under the {codename} indemnity is capped at {amount} until the review closes.",
    "Briefing notes for {codename} stay embargoed while the {unit} completes its inquiries.",
    "Sequencing around {codename} hinges on arrests planned for week {weeks} of the quarter.",
    "Counsel's view on {codename} puts the prospect of challenge at {pct} in every hundred.",
    "Contingency funding of {amount} sits outside the published budget for {codename}.",
    "Vetting of {unit} staff attached to {codename} finishes before mobilisation.",
    "Informant payments under {codename} are logged separately and audited each quarter.",
    "Draft heads of terms for {codename} remain unsigned pending approval by the {unit} lead.",
)
CODENAMES = ("Kestrel", "Marlin", "Juniper", "Halyard", "Quillon", "Tamarisk", "Brigantine", "Foxglove", "Larkspur",
             "Obsidian", "Peregrine", "Wolfram")
UNITS = ("covert tasking cell", "regional organised crime unit", "surveillance support team", "economic crime desk",
         "witness protection office", "intelligence fusion hub")
WORKSTREAMS = ("Surveillance", "Vetting", "Informant handling", "Forensic capture", "Legal review", "Covert premises")


def _data_free(group: tuple[str, ...]) -> tuple[str, ...]:
    """The sentences of a stock section that hold no data: all of them stock wording."""
    return tuple(s for s in group if "{" not in s)
# Wording only withheld records use: it replaces any withheld sentence that happens to
# share a phrase with a public record, so the replacement cannot clash in turn.
WITHHELD_ONLY = (
    "Sequencing of the arrest phase around {borough} hinges on covert tasking agreed with {partner}.",
    "Standstill correspondence with unsuccessful tenderers closes once signature completes on {day} {month}.",
    "Embargoed briefing material for ministers quantifies exposure at roughly {amount} overall.",
    "Undercover deployment numbers (about {count}) stay restricted pending trial outcomes.",
)
SURNAMES = ("Okafor", "Patel", "Nowak", "Hughes", "Ahmed", "Kowalczyk", "Murphy", "Singh", "Evans", "Osei")
AREAS = ("Strategy", "Commissioning", "Finance", "Oversight", "Criminal Justice", "Audit")
FUNDS = ("Crime Prevention Fund", "Violence Reduction Unit", "MOPAC commissioning", "Home Office grant",
         "Police Property Act Fund", "MOPAC reserves")
ANNEX_SHARE = 0.2  # decisions with a PDF annex
PART2_PDF_SHARE = 0.2  # Part 2 forms written as a PDF
# The annex's name beside its record. (A natural name, <slug>-annex-a.pdf, once the rules
# publish attachments by the links of Part 1; the loader today owns files by '<slug>.'.)
ANNEX_NAME = "{slug}-annex-a.pdf"  # a natural name: published because Part 1 links it


@dataclass
class Corpus:
    """What was written: the folder, its records, and the canaries a build is checked for."""

    docs_dir: Path
    as_of: dt.date
    records: list[str] = field(default_factory=list)  # record paths relative to docs_dir
    part2_files: list[str] = field(default_factory=list)
    withheld: list[str] = field(default_factory=list)  # record paths withheld on as_of
    canaries: dict[str, str] = field(default_factory=dict)  # canary -> file it was written to
    released: dict[str, str] = field(default_factory=dict)  # marker -> record public on as_of
    documents: list[str] = field(default_factory=list)  # PDF annexes (each linked from its record's Part 1)
    document_owner: dict[str, str] = field(default_factory=dict)  # annex -> the record that links to it
    withheld_documents: list[str] = field(default_factory=list)  # annexes of records withheld on as_of
    bytes_written: int = 0  # size of the folder


class _Writer:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.year = AS_OF.year  # the year of the decision being written

    def fill(self, template: str, **extra: str) -> str:
        r = self.rng
        year = self.year - r.randint(0, 3)
        values = {
            "subject": r.choice(SUBJECTS), "borough": r.choice(BOROUGHS), "partner": r.choice(PARTNERS),
            "month": r.choice(MONTHS), "year": str(year), "year2": str(year + r.randint(1, 3)),
            "fy": f"{year}/{(year + 1) % 100:02d}", "count": f"{r.randint(3, 4800):,}", "weeks": str(r.randint(4, 52)),
            "pct": str(r.randint(2, 61)), "amount": f"£{r.randint(12, 98_000) * 100:,}",
            "small": f"£{r.randint(350, 1900):,}", "area": r.choice(AREAS), "fund": r.choice(FUNDS),
            "years": str(r.randint(2, 5)), "supplier": r.choice(SUPPLIERS), "score": str(r.randint(52, 97)),
            "risk": r.choice(("low", "moderate", "high")), "day": str(r.randint(1, 28)),
            "initial": r.choice("ABCDEFGHJKLMNPRSTW"), "surname": r.choice(SURNAMES),
            "maker": "Deputy Mayor for Policing and Crime", "codename": r.choice(CODENAMES), "unit": r.choice(UNITS),
        }
        values.update(extra)
        return template.format(**values)

    def paragraph(self, templates: tuple[str, ...], n: int, **extra: str) -> str:
        return " ".join(self.fill(self.rng.choice(templates), **extra) for _ in range(n))

    def table(self, subject: str) -> str:
        r = self.rng
        rows = ["| Item | Borough | Cost | Financial year |", "|---|---|---:|---|"]
        for _ in range(r.randint(3, 8)):
            year = self.year + r.randint(0, 2)
            item = r.choice(("Staffing", "Equipment", "Licences", "Training", "Evaluation", "Premises", "Contingency"))
            rows.append(f"| {item} | {r.choice(BOROUGHS)} | £{r.randint(5, 9000) * 100:,} | {year}/{(year + 1) % 100:02d} |")
        return "\n".join(rows)

    def withheld_table(self) -> str:
        r = self.rng
        rows = ["| Workstream | Unit | Estimate | Quarter |", "|---|---|---:|---|"]
        for _ in range(r.randint(3, 6)):
            rows.append(f"| {r.choice(WORKSTREAMS)} | {r.choice(UNITS)} | £{r.randint(5, 9000) * 100:,} | "
                        f"Q{r.randint(1, 4)} {self.year + r.randint(0, 2)} |")
        return "\n".join(rows)

    def withheld_body(self, target_bytes: int, annex: str | None = None) -> str:
        """A withheld record's Part 1: withheld-only wording and data-free stock sections."""
        r = self.rng
        codename = r.choice(CODENAMES)
        parts = [
            "## Executive summary",
            self.paragraph(WITHHELD_SENTENCES, r.randint(2, 4), codename=codename),
            "## Recommendation",
            self.fill("1. Approval is sought for Operation {codename} spending of no more than {amount}.\n"
                      "2. Oversight of Operation {codename} rests with the {unit} lead.", codename=codename),
            "### 1. Introduction and background",
        ]
        n = 2
        while sum(len(p) for p in parts) < target_bytes * 0.75:
            if r.random() < 0.2:
                parts.append(self.withheld_table())
            else:
                parts.append(self.paragraph(WITHHELD_SENTENCES, r.randint(2, 6), codename=codename))
            if r.random() < 0.25:
                parts.append(f"### {n}. {r.choice(('Issues for consideration', 'Delivery plan', 'Risks'))}")
                n += 1
        papers = [self.fill("Restricted briefing pack {n} for Operation {codename}", n=str(i + 1), codename=codename)
                  for i in range(r.randint(1, 3))]
        parts += [
            f"### {n}. Financial comments", r.choice(_data_free(FINANCIAL)),
            f"### {n + 1}. Legal comments", " ".join(_data_free(LEGAL)),
            f"### {n + 2}. Equality comments", r.choice(_data_free(EQUALITY)),
            f"### {n + 3}. Privacy comments", r.choice(_data_free(PRIVACY)),
            f"### {n + 4}. Background/supporting papers",
            "\n".join(f"- {p}" for p in [*papers, *([f"[Annex A]({annex})"] if annex else [])]),
        ]
        return "\n\n".join(parts) + "\n"

    def body(self, subject: str, maker: str, target_bytes: int, annex: str | None = None) -> str:
        r = self.rng
        parts = [
            "## Executive summary",
            self.paragraph(SENTENCES, r.randint(2, 4), subject=subject),
            "## Recommendation",
            f"1. The {maker} is asked to approve expenditure of up to {self.fill('{amount}')} on the {subject}.\n"
            f"2. The {maker} is asked to delegate final sign-off to the Director of {r.choice(AREAS)}.",
            "### 1. Introduction and background",
        ]
        n = 2
        while sum(len(p) for p in parts) < target_bytes * 0.75:
            if r.random() < 0.2:
                parts.append(self.table(subject))
            else:
                parts.append(self.paragraph(SENTENCES, r.randint(2, 6), subject=subject))
            if r.random() < 0.25:
                parts.append(f"### {n}. {r.choice(('Issues for consideration', 'Delivery plan', 'Options appraisal', 'Risks', 'Outcomes'))}")
                n += 1
        parts += [
            f"### {n}. Financial comments", self.paragraph(FINANCIAL, 2, subject=subject),
            f"### {n + 1}. Legal comments", self.paragraph(LEGAL, 2, maker=maker),
            f"### {n + 2}. Equality comments", self.paragraph(EQUALITY, 1),
            f"### {n + 3}. Privacy comments", self.paragraph(PRIVACY, 1, subject=subject),
            f"### {n + 4}. Background/supporting papers",
            "\n".join([*(f"- {r.choice(SUBJECTS)} {r.choice(ACTIONS)} report" for _ in range(r.randint(1, 4))),
                       *([f"- [Annex A]({annex})"] if annex else [])]),
        ]
        return "\n\n".join(parts) + "\n"


def _yaml_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _target_size(rng: random.Random) -> int:
    """Body size in bytes: mostly 3-8 KB, a long tail to 16 KB, never under 2 KB."""
    return int(min(16_000, max(2_000, rng.lognormvariate(8.6, 0.5))))


def generate(n: int, dest: str | Path, *, seed: int = 5000, as_of: dt.date = AS_OF) -> Corpus:
    """Write index.md, about.md and n decision records (with Part 2 files) into dest."""
    rng = random.Random(seed)
    w = _Writer(rng)
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    corpus = Corpus(dest, as_of)
    _write(corpus, "index.md", HOME)
    _write(corpus, "about.md", ABOUT)
    years = list(range(FIRST_YEAR, as_of.year + 1))
    # Exact shares, spread at random: even a small corpus has every kind of withheld record.
    order = list(range(n))
    rng.shuffle(order)
    n_deferred, n_part2 = math.ceil(n * DEFERRED_SHARE), math.ceil(n * PART2_SHARE)
    deferral_of = {i: ("past", "future", "undated")[k % 3] for k, i in enumerate(order[:n_deferred])}
    rng.shuffle(order)
    with_part2 = set(order[:n_part2])
    part2_pdf = set(order[:math.ceil(n_part2 * PART2_PDF_SHARE)])
    rng.shuffle(order)
    with_annex = set(order[:math.ceil(n * ANNEX_SHARE)])
    per_year: dict[tuple[str, int], int] = {}
    titles: set[str] = set()
    for i in range(n):
        year = years[i * len(years) // n] if n >= len(years) else rng.choice(years)
        last = as_of - dt.timedelta(days=1) if year == as_of.year else dt.date(year, 12, 31)
        approved = dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(0, (last - dt.date(year, 1, 1)).days))
        prefix, maker = _pick_maker(rng)
        number = per_year[(prefix, year)] = per_year.get((prefix, year), 0) + 1
        reference = f"{prefix} {year} {number:03d}"
        facts: dict[str, object] = {"reference": reference, "approved": approved.isoformat(), "decision_maker": maker}
        kind = deferral_of.get(i)
        facts["deferred"] = kind is not None
        if kind is not None:
            facts["deferred_reason"] = rng.choice(DEFERRAL_REASONS)
        if kind == "past":
            latest = min(approved + dt.timedelta(days=180), as_of)
            until = approved + dt.timedelta(days=rng.randint(0, (latest - approved).days))
            facts["deferred_until"] = until.isoformat()
        elif kind == "future":
            facts["deferred_until"] = (as_of + dt.timedelta(days=rng.randint(1, 400))).isoformat()
        has_part2 = i in with_part2
        facts["part2"] = has_part2
        if has_part2:
            facts["part2_reason"] = rng.choice(PART2_REASONS)
        rel = f"{DECISIONS_DIR}/{year}/{slugify(reference)}.md"
        withheld = kind in ("future", "undated")
        annex = ANNEX_NAME.format(slug=slugify(reference)) if i in with_annex else None
        last_line = ""
        if withheld:
            canary = _token(rng, "canary")
            last_line = f"Audit marker {canary} is recorded on this deferred form only."
            corpus.canaries[canary] = rel
            corpus.withheld.append(rel)
        elif kind == "past":
            marker = _token(rng, "released")
            last_line = f"Audit marker {marker} is recorded on this form, whose deferral has ended."
            corpus.released[marker] = rel
        _write(corpus, rel, _record_text(w, facts, year, titles, last_line, withheld=withheld, annex=annex))
        corpus.records.append(rel)
        if annex is not None:
            annex_rel = f"{DECISIONS_DIR}/{year}/{annex}"
            title = f"Annex A to {reference}"
            if withheld:
                canary = _token(rng, "canary")
                text = [w.paragraph(WITHHELD_SENTENCES, rng.randint(3, 6)), w.withheld_table(),
                        f"Audit marker {canary} is recorded in this withheld annex only."]
                _write_bytes(corpus, annex_rel, _pdf(title, text, keywords=canary))
                corpus.canaries[canary] = annex_rel
                corpus.withheld_documents.append(annex_rel)
            else:
                text = [w.paragraph(SENTENCES, rng.randint(3, 6)) for _ in range(rng.randint(1, 3))]
                _write_bytes(corpus, annex_rel, _pdf(title, [*text, w.table("")]))
            corpus.documents.append(annex_rel)
            corpus.document_owner[annex_rel] = rel
        if has_part2:
            canary = _token(rng, "canary")
            if i in part2_pdf:
                p2_rel = f"{DECISIONS_DIR}/{year}/{slugify(reference)}.part2.pdf"
                _write_bytes(corpus, p2_rel, _pdf(f"Part 2 of {reference}", _part2_paragraphs(w, canary),
                                                  keywords=canary))
            else:
                p2_rel = f"{DECISIONS_DIR}/{year}/{slugify(reference)}.part2.md"
                _write(corpus, p2_rel, _part2_text(w, reference, canary))
            corpus.part2_files.append(p2_rel)
            corpus.canaries[canary] = p2_rel
    _keep_withheld_text_distinct(corpus, w)
    corpus.bytes_written = sum(p.stat().st_size for p in dest.rglob("*") if p.is_file())
    return corpus


def _record_text(w: _Writer, facts: dict[str, object], year: int, titles: set[str], last_line: str, *,
                 withheld: bool = False, annex: str | None = None) -> str:
    rng = w.rng
    subject = rng.choice(SUBJECTS)
    w.year = year
    if withheld:  # withheld-only wording throughout (see WITHHELD_SENTENCES)
        title = _unique_title(rng, subject, year, titles, withheld=True)
        summary = w.fill("Restricted decision on Operation {codename} for the {unit}.")
    else:
        title = _unique_title(rng, subject, year, titles)
        summary = f"Decision on the {rng.choice(ACTIONS)} for the {subject} in {rng.choice(BOROUGHS)}."
    meta = {"reference": facts["reference"], "title": title}
    meta.update((k, v) for k, v in facts.items() if k != "reference")
    if rng.random() < 0.8:
        meta["summary"] = summary
    meta["tags"] = rng.sample(TAGS, rng.randint(1, 3))
    if withheld:
        body = w.withheld_body(_target_size(rng), annex)
    else:
        body = w.body(subject, str(facts["decision_maker"]), _target_size(rng), annex)
    return _front_matter(_ordered(meta)) + "\n" + body + (f"\n{last_line}\n" if last_line else "")


def _part2_paragraphs(w: _Writer, canary: str) -> list[str]:
    return [
        "# Part 2: confidential facts and advice",
        w.paragraph(PART2_SENTENCES, w.rng.randint(3, 8)),
        f"Audit marker {canary} is recorded on this Part 2 form only.",
    ]


def _part2_text(w: _Writer, reference: str, canary: str) -> str:
    return _front_matter({"reference": reference}) + "\n" + "\n\n".join(_part2_paragraphs(w, canary)) + "\n"


def _pdf(title: str, paragraphs: list[str], *, keywords: str = "") -> bytes:
    """A small PDF (fpdf2, Flate-compressed as most are): the title and paragraphs as its
    text, the title and keywords in its metadata. Markdown tables are drawn as lines."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_creation_date(dt.datetime(2025, 1, 1, tzinfo=dt.UTC))  # the same bytes for a seed
    pdf.set_title(title)
    if keywords:
        pdf.set_keywords(keywords)
    pdf.add_page()
    pdf.set_font("helvetica", size=10)
    for paragraph in [title, *paragraphs]:
        text = paragraph.lstrip("# ").replace("\u2013", "-").replace("\u2019", "'")
        for line in text.splitlines():
            if set(line) <= set("|-: "):
                continue
            pdf.multi_cell(0, 5, line.strip("| ").replace(" | ", "    "), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    return bytes(pdf.output())

def _ordered(meta: dict[str, object]) -> dict[str, object]:
    order = ("reference", "title", "approved", "decision_maker", "summary", "deferred", "deferred_reason",
             "deferred_until", "part2", "part2_reason", "tags")
    return {k: meta[k] for k in order if k in meta}


def _keep_withheld_text_distinct(corpus: Corpus, w: _Writer) -> None:
    """Reword withheld sentences that share a leak-scan needle with exactly one public
    text. The plan keeps such needles (a paste into one public page looks just like
    that), so the site would fail its own leak scan over a phrase that chance alone put
    in two records. Uses the real plan, so it follows the scan's current rules; the new
    wording comes from templates no public record uses, so one pass settles it."""
    from foia.rules.content import load_content
    from foia.rules.plan import build_plan

    for _ in range(5):
        plan = build_plan(load_content(corpus.docs_dir), corpus.as_of, stock_wording=STOCK_WORDING)
        search = Needles((f.needle, (f.source, f.needle)) for f in plan.fingerprints if f.kind != "filename")
        if not len(search):
            return
        public = [r.path for r in plan.public] + ["index.md", "about.md"]
        public += [d for d in corpus.documents if d not in plan.withheld_paths]
        clashes: dict[str, set[str]] = {}
        for rel in public:
            data = (corpus.docs_dir / rel).read_bytes()
            text = extract.read(rel, data).text() if rel.endswith(".pdf") else data.decode("utf-8")
            for source, needle in search.found_in(normalised_utf8(text)):
                clashes.setdefault(source, set()).add(needle)
        if not clashes:
            return
        if any(not rel.endswith(".md") for rel in clashes):
            raise RuntimeError(f"generate-corpus: withheld documents share phrases with public text: {sorted(clashes)}")
        for rel, needles in sorted(clashes.items()):
            path = corpus.docs_dir / rel
            path.write_text(_reword(path.read_text(encoding="utf-8"), needles, w), encoding="utf-8")
    raise RuntimeError("generate-corpus: withheld text still shares phrases with public text")


def _reword(text: str, needles: set[str], w: _Writer) -> str:
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if not any(n in normalise(line) for n in needles):
            continue
        if line.startswith(("summary:", "- ")):
            lines[i] = ""  # optional: a summary or a supporting paper can go
            continue
        if line.startswith(("reference:", "title:")):
            raise RuntimeError(f"generate-corpus: a withheld {line.split(':')[0]} occurs in public text")
        head, rest = re.match(r"^((?:\d+\. )?)(.*)$", line).groups()
        sentences = re.split(r"(?<=\.) (?=[A-Z])", rest)
        for j, sentence in enumerate(sentences):
            if any(n in normalise(sentence) for n in needles):
                sentences[j] = w.fill(w.rng.choice(WITHHELD_ONLY))
        lines[i] = head + " ".join(sentences)
    return "\n".join(lines)


def extra_decision(dest: str | Path, *, as_of: dt.date = AS_OF, number: int = 999) -> str:
    """Add one more public decision (as a comms officer would) and return its path. Its
    text is drawn again until it shares no phrase with a withheld text (see
    _keep_withheld_text_distinct), so the site still passes its leak scan."""
    from foia.rules.content import load_content
    from foia.rules.plan import build_plan

    dest = Path(dest)
    reference = f"PCD {as_of.year} X{number:03d}"
    approved = as_of - dt.timedelta(days=1)
    rel = f"{DECISIONS_DIR}/{approved.year}/{slugify(reference)}.md"
    path = dest / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    for attempt in range(20):
        rng = random.Random(f"extra-{number}-{attempt}")
        w = _Writer(rng)
        w.year = as_of.year
        meta = {
            "reference": reference,
            "title": f"Additional decision {number} – {rng.choice(ACTIONS)} for the Police cadets",
            "approved": approved.isoformat(), "decision_maker": "Deputy Mayor for Policing and Crime",
            "deferred": False, "part2": False, "tags": ["funding"],
        }
        text = _front_matter(meta) + "\n" + w.body("Police cadets", str(meta["decision_maker"]), 6000)
        path.write_text(text, encoding="utf-8")
        plan = build_plan(load_content(dest), as_of, stock_wording=STOCK_WORDING)
        search = Needles((f.needle, f.source) for f in plan.fingerprints if f.kind != "filename")
        if not search.any_in(normalised_utf8(text)):
            return rel
    raise RuntimeError("generate-corpus: could not write an extra decision clear of withheld text")


def _pick_maker(rng: random.Random) -> tuple[str, str]:
    x = rng.random()
    for prefix, maker, share in DECISION_MAKERS:
        if x < share:
            return prefix, maker
        x -= share
    return DECISION_MAKERS[0][:2]


def _unique_title(rng: random.Random, subject: str, year: int, seen: set[str], *, withheld: bool = False) -> str:
    """Titles are unique: a withheld title equal to a public one could not be told apart."""
    while True:
        if withheld:
            title = f"Operation {rng.choice(CODENAMES)} {rng.randint(2, 99)}: {rng.choice(UNITS)} tasking ({year})"
        else:
            title = f"{subject} – {rng.choice(ACTIONS)} for {rng.choice(BOROUGHS)} ({year}/{(year + 1) % 100:02d})"
        if title not in seen:
            seen.add(title)
            return title
        subject = f"{subject} phase {rng.randint(2, 9)}"


def _token(rng: random.Random, kind: str) -> str:
    return f"{kind}{rng.getrandbits(64):016x}"


def _front_matter(meta: dict[str, object]) -> str:
    lines = ["---"]
    for key, value in meta.items():
        if isinstance(value, bool):
            lines.append(f"{key}: {'true' if value else 'false'}")
        elif isinstance(value, list):
            lines.append(f"{key}: [{', '.join(value)}]")
        elif key in ("approved", "deferred_until"):
            lines.append(f"{key}: {value}")
        else:
            lines.append(f"{key}: {_yaml_text(str(value))}")
    lines.append("---")
    return "\n".join(lines) + "\n"


def _write(corpus: Corpus, rel: str, text: str) -> None:
    _write_bytes(corpus, rel, text.encode("utf-8"))


def _write_bytes(corpus: Corpus, rel: str, data: bytes) -> None:
    path = corpus.docs_dir / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


HOME = """\
---
title: Decisions of the Mayor's Office for Policing and Crime
template: foia/home.html
---

# Decisions of the Mayor's Office for Policing and Crime

A synthetic register of decisions generated for benchmarks. Part 1 of each decision is
published; Part 2 forms are never published, and deferred decisions appear on their date.
"""

ABOUT = """\
---
title: About this register
---

# About this register

This register was generated by `scripts/generate-corpus`. Its decisions are fictitious.
"""


# ----------------------------------------------------------------- site configurations


def project_site_config(project: str | Path, docs_dir: str | Path, site_dir: str | Path, dest: str | Path, *,
                        pagefind: bool | None = None, cache_dir: str | None = None) -> Path:
    """Write dest/mkdocs.yml: the project's own configuration, read now (it changes),
    pointed at docs_dir. The project's pages outside decisions/ (search, open data...)
    are copied into docs_dir when missing, so its nav resolves."""
    project, docs_dir, dest = Path(project).resolve(), Path(docs_dir).resolve(), Path(dest).resolve()
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    project_docs = project / config.get("docs_dir", "docs")
    for src in sorted(p for p in project_docs.rglob("*") if p.is_file()):
        rel = src.relative_to(project_docs)
        if rel.parts[0] == DECISIONS_DIR or rel.name == "publication-log.yml" or (docs_dir / rel).exists():
            continue
        (docs_dir / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, docs_dir / rel)
    config["docs_dir"], config["site_dir"] = str(docs_dir), str(Path(site_dir).resolve())
    theme = config.get("theme")
    if isinstance(theme, dict) and theme.get("custom_dir"):
        theme["custom_dir"] = str(project / theme["custom_dir"])
    if config.get("hooks"):
        config["hooks"] = [str(project / h) for h in config["hooks"]]
    options = {k: v for k, v in (("pagefind", pagefind), ("cache_dir", cache_dir)) if v is not None}
    dest.mkdir(parents=True, exist_ok=True)
    own = project / STOCK_FILE
    stock = own.read_text(encoding="utf-8").splitlines() if own.is_file() else []
    (dest / STOCK_FILE).write_text("\n".join([*stock, *STOCK_WORDING]) + "\n", encoding="utf-8")
    plugins = config.get("plugins") or []
    for i, entry in enumerate(plugins):
        if entry == "foia":
            plugins[i] = {"foia": dict(options)}
        elif isinstance(entry, dict) and "foia" in entry:
            entry["foia"] = {**(entry["foia"] or {}), **options}
    return _write_config(dest, config)


def plain_site_config(project: str | Path, corpus: Corpus, site_dir: str | Path, dest: str | Path) -> Path:
    """Write dest/mkdocs.yml for plain Material for MkDocs on the same folder: no foia
    plugin, Material's search on, decisions kept out of the nav, and the same decisions
    published (Part 2 files and records withheld on the as-of date excluded). Our page
    templates are replaced by empty stubs that extend the theme's main.html."""
    project, dest = Path(project).resolve(), Path(dest).resolve()
    mine = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    stubs = dest / "overrides"
    for template in (Path(foia.__file__).parent / "templates" / "foia").glob("*.html"):
        (stubs / "foia").mkdir(parents=True, exist_ok=True)
        (stubs / "foia" / template.name).write_text('{% extends "main.html" %}\n', encoding="utf-8")
    theme = dict(mine.get("theme") or {"name": "material"})
    theme["custom_dir"] = str(stubs)
    nav = [item for item in mine.get("nav") or []
           if not isinstance(item, dict) or any((corpus.docs_dir / str(v)).is_file() for v in item.values())]
    config = {
        "site_name": mine.get("site_name", "Decisions"),
        "site_url": mine.get("site_url"),
        "docs_dir": str(corpus.docs_dir.resolve()),
        "site_dir": str(Path(site_dir).resolve()),
        "use_directory_urls": mine.get("use_directory_urls", True),
        "theme": theme,
        "nav": nav,
        "not_in_nav": f"/{DECISIONS_DIR}/**\n",
        "exclude_docs": "\n".join(["publication-log.yml", "*.part2.*",
                                   *("/" + p for p in [*corpus.withheld, *corpus.withheld_documents])]) + "\n",
        "plugins": ["search"],
        "markdown_extensions": mine.get("markdown_extensions") or [],
    }
    return _write_config(dest, config)


def _write_config(dest: Path, config: dict) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    path = dest / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="generate-corpus", description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of decisions")
    parser.add_argument("dir", help="content folder to write (an MkDocs docs_dir)")
    parser.add_argument("--seed", type=int, default=5000)
    parser.add_argument("--as-of", default=AS_OF.isoformat(), help="date deferrals are relative to (YYYY-MM-DD)")
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("n must be at least 1")
    dest = Path(args.dir)
    if dest.exists() and any(dest.iterdir()):
        parser.error(f"{dest} exists and is not empty")
    corpus = generate(args.n, dest, seed=args.seed, as_of=dt.date.fromisoformat(args.as_of))
    print(
        f"{len(corpus.records)} decisions ({len(corpus.withheld)} withheld as of {corpus.as_of}, "
        f"{len(corpus.released)} released after deferral), {len(corpus.part2_files)} Part 2 forms, "
        f"{corpus.bytes_written / 1e6:.1f} MB in {dest}; {len(corpus.canaries)} canaries"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
