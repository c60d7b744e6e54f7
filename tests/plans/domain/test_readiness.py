"""The readiness maths of DESIGN §9 as plain functions: no database."""

from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from plans import presenters
from plans.domain.readiness import (
    GROUPS,
    INSIDE_OUTSIDE,
    LEADERSHIP,
    QUESTIONS,
    QUESTIONS_BY_CODE,
    SYSTEM,
    answer_problem,
    mean_score,
    score_readiness,
)
from plans.presenters import QUESTION_TEXTS, readiness_flag_message

D = Decimal


def codes_of(group: str) -> list[str]:
    return [question.code for question in QUESTIONS if question.group == group]


def test_the_questionnaire_has_at_least_four_questions_per_group_with_unique_codes():
    assert len(QUESTIONS_BY_CODE) == len(QUESTIONS)
    for group in GROUPS:
        assert len(codes_of(group)) >= 4
    assert len(codes_of(INSIDE_OUTSIDE)) == 4  # the article's four inside-outside questions
    assert set(QUESTION_TEXTS) == set(QUESTIONS_BY_CODE)  # every question is worded
    system_text = " ".join(QUESTION_TEXTS[code] for code in codes_of(SYSTEM))
    for topic in ("reward", "recognised", "judged", "managers"):
        assert topic in system_text


def test_nothing_answered_scores_null_everywhere_without_flags_or_weakest():
    result = score_readiness({}, planned_shape="modern")
    assert result.score is None
    assert [group.score for group in result.groups] == [None, None, None]
    assert [(g.answered, g.total) for g in result.groups] == [
        (0, len(codes_of(group))) for group in GROUPS
    ]
    assert result.weakest == ()
    assert result.flags == ()


def test_group_and_overall_scores_are_means_of_answered_items_over_four():
    system = codes_of(SYSTEM)
    answers = {system[0]: 4, system[1]: 2, codes_of(LEADERSHIP)[0]: 1}
    result = score_readiness(answers)
    assert result.group(SYSTEM).score == D("75.0")  # (4 + 2) / 2 / 4
    assert result.group(SYSTEM).answered == 2
    assert result.group(LEADERSHIP).score == D("25.0")
    assert result.group(INSIDE_OUTSIDE).score is None
    # overall is the mean of all answered items, not the mean of the group scores (50.0)
    assert result.score == D("58.3")  # 7 / 12 = 58.33...


def test_scores_round_half_up_exactly():
    # 1 / 16 = 6.25 % exactly: half-up gives 6.3 (banker's rounding would give 6.2)
    assert mean_score([1, 0, 0, 0]) == D("6.3")
    assert mean_score([3, 3, 2]) == D("66.7")
    assert mean_score([4]) == D("100.0")
    assert mean_score([0, 0]) == D("0.0")


def test_the_three_weakest_answered_items_are_named_ties_in_questionnaire_order():
    answers = {question.code: 4 for question in QUESTIONS}
    late, early, middle = QUESTIONS[-1].code, QUESTIONS[0].code, QUESTIONS[6].code
    answers.update({late: 0, early: 1, middle: 1, QUESTIONS[3].code: 2, QUESTIONS[8].code: 2})
    weakest = score_readiness(answers).weakest
    assert [item.code for item in weakest] == [late, early, middle]
    assert weakest[0].answer == 0 and weakest[0].code == QUESTIONS[-1].code


def test_fewer_than_three_answers_name_only_those():
    assert [i.code for i in score_readiness({QUESTIONS[2].code: 3}).weakest] == [QUESTIONS[2].code]


def system_at(value: int) -> dict[str, int]:
    return dict.fromkeys(codes_of(SYSTEM), value)


def test_a_modern_plan_on_a_lagging_system_raises_a_flag_that_says_what_to_do():
    answers = system_at(1)
    answers[codes_of(SYSTEM)[2]] = 0  # the success measures are the weakest
    result = score_readiness(answers, planned_shape="modern")
    assert [flag.code for flag in result.flags] == ["system_lags"]
    assert result.flags[0].start_with == codes_of(SYSTEM)[2]
    message = readiness_flag_message(result.flags[0])
    assert "pull people right back" in message
    assert "rewarded, recognised and measured" in message
    assert QUESTION_TEXTS[codes_of(SYSTEM)[2]] in message  # where to start
    assert str(result.group(SYSTEM).score) in message


def test_no_flag_at_fifty_or_for_a_plan_that_is_not_modern_or_unanswered_system():
    assert score_readiness(system_at(2), planned_shape="modern").flags == ()  # exactly 50.0
    assert score_readiness(system_at(0), planned_shape="training_centric").flags == ()
    assert score_readiness(system_at(0), planned_shape="mixed").flags == ()
    assert score_readiness(system_at(0), planned_shape=None).flags == ()
    leadership_only = dict.fromkeys(codes_of(LEADERSHIP), 0)
    assert score_readiness(leadership_only, planned_shape="modern").flags == ()


def test_unknown_codes_are_ignored_when_scoring_and_refused_when_storing():
    assert score_readiness({"retired_question": 0}).score is None

    def words(code, answer):
        return presenters.answer_problem_words(answer_problem(code, answer), code, answer)

    assert answer_problem("retired_question", 2) == "unknown_code"
    assert words("retired_question", 2) == "Unknown question code 'retired_question'."
    assert words(QUESTIONS[0].code, 5).endswith("outside 0-4.")
    assert words(QUESTIONS[0].code, -1).endswith("outside 0-4.")
    assert "whole number" in words(QUESTIONS[0].code, True)
    assert "whole number" in words(QUESTIONS[0].code, 2.5)
    assert answer_problem(QUESTIONS[0].code, 0) is None


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.sampled_from(list(QUESTIONS_BY_CODE)), st.integers(0, 4)))
def test_every_score_is_the_exact_mean_rounded_half_up(answers):
    result = score_readiness(answers)
    if not answers:
        assert result.score is None
        return
    exact = Fraction(sum(answers.values()) * 25, len(answers))
    assert D(0) <= result.score <= D(100)
    assert abs(Fraction(result.score) - exact) <= Fraction(1, 20)
    assert sum(group.answered for group in result.groups) == len(answers)
    assert len(result.weakest) == min(3, len(answers))
    weakest_values = [item.answer for item in result.weakest]
    assert weakest_values == sorted(weakest_values)
    assert max(weakest_values) <= min(
        (v for c, v in answers.items() if c not in {i.code for i in result.weakest}),
        default=4,
    )
