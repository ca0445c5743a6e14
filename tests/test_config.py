"""Config folders are checked before anything is written; what is usable but odd is
reported as a warning."""

from pipelines.config import load_config
from tests.support import ROSTER


def test_supervisors_who_supervise_each_other_are_a_warning_not_an_error(program):
    s1, s2 = ROSTER[0], ROSTER[1]
    program.write_config(roster=[(*s1[:6], "S2", *s1[7:]), (*s2[:6], "S1", *s2[7:]), *ROSTER[2:]])
    assert load_config(program.config).warnings == [
        f"{program.config / 'roster.csv'}: supervisors form a cycle (S1 -> S2 -> S1), "
        "so they approve each other's outside CE"
    ]


def test_a_roster_whose_chains_end_at_the_top_has_no_warning(program):
    assert load_config(program.config).warnings == []
