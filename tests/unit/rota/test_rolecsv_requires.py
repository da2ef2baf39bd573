"""The roles CSV's ``requires``: empty, one name, or several separated by ``;`` (all required)."""
from __future__ import annotations

import pytest

from volunteers.rota.domain.rolecsv import CsvImportError, parse_roles_csv


def test_requires_takes_none_one_or_several_names() -> None:
    rows = parse_roles_csv("name,intensity,requires,on_call\n"
                           "Shop counter,1,,false\n"
                           "Post Office counter,1,Post Office training,false\n"
                           "Ward visit,1.5,Peer counsellor course; DBS check ;,false\n")
    assert [r.requires for r in rows] == [(), ("Post Office training",), ("Peer counsellor course", "DBS check")]


def test_a_name_given_twice_in_requires_counts_once_whatever_its_case() -> None:
    (row,) = parse_roles_csv("name,requires\nWard visit,DBS check;dbs CHECK;Peer counsellor course\n")
    assert row.requires == ("DBS check", "Peer counsellor course")


def test_a_too_long_name_among_several_is_refused_on_its_line_and_field() -> None:
    with pytest.raises(CsvImportError) as refused:
        parse_roles_csv("name,requires\nWard visit,DBS check;" + "x" * 121 + "\n", "roles.csv")
    assert "roles.csv:2: field 'requires'" in str(refused.value)
