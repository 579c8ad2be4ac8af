"""The decision-aid part of the clinician's consultation preparation: exactly what the patient answered."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from pgo.decisions.aid import NOT_SURE, load_aid
from pgo.decisions.steps import SureScore, common_texts, owned_response, response_sure_score
from pgo.i18n import _, current_locale, use_locale


@dataclass(frozen=True)
class RatedConsideration:
    text: str
    importance: int  # 1 (not important) to 5 (very important)


@dataclass(frozen=True)
class ConsultationSummary:
    aid_title: str
    question: str  # the decision at hand
    status: str  # in-progress / completed
    preferred_option: str | None  # the option's name, 'Not sure yet', or None when not answered
    preferred_code: str | None
    most_important: tuple[RatedConsideration, ...]  # rated with the highest importance the patient gave
    all_ratings: tuple[RatedConsideration, ...]  # most important first, then in the aid's order
    sure: SureScore | None
    decisional_conflict: bool
    good_questions: tuple[str, ...]
    own_questions: tuple[str, ...]
    language_shown: str
    level_shown: str


def consultation_summary(
    *, session: Session, patient_id: int, response_id: int, lang: str | None = None
) -> ConsultationSummary:
    """The question at hand and the patient's own answers, in the clinician's language (``lang``).

    Raises ``ResponseNotFound`` when the response is not this patient's. Access rights (consent, care team)
    are checked by the caller.
    """
    lang = lang or current_locale()
    response = owned_response(session=session, response_id=response_id, user_id=patient_id)
    aid = load_aid(response.aid_id)
    answers = response.answers
    ratings = answers.get("considerations") or {}
    rated = sorted(
        (RatedConsideration(c.text.get(lang), ratings[c.link_id]) for c in aid.considerations if c.link_id in ratings),
        key=lambda r: -r.importance,
    )
    top = max((r.importance for r in rated), default=None)
    preferred = answers.get("preference")
    if preferred == NOT_SURE:
        with use_locale(lang):
            preferred_name: str | None = _("Not sure yet")
    else:
        preferred_name = aid.option(preferred).name.get(lang) if preferred in aid.option_codes else None
    good = {item.key: item.text.get(lang) for item in common_texts()["good_questions"]}
    sure = response_sure_score(response)
    return ConsultationSummary(
        aid_title=aid.title.get(lang),
        question=aid.decision.get(lang),
        status=str(response.status),
        preferred_option=preferred_name,
        preferred_code=preferred,
        most_important=tuple(r for r in rated if r.importance == top),
        all_ratings=tuple(rated),
        sure=sure,
        decisional_conflict=bool(sure and sure.conflict),
        good_questions=tuple(good[k] for k in answers.get("good_questions") or [] if k in good),
        own_questions=tuple(answers.get("own_questions") or []),
        language_shown=response.language,
        level_shown=response.level,
    )
