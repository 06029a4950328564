"""Readers say which bank details a file carried, so an import into an existing bank
keeps the others instead of filling them from the file name."""

import pytest

from app import formats
from tests.unit.formats.sample import every_type_bank

ALL_DETAILS = {"title", "language", "licence", "edition", "description"}
SUFFIX = {"moodlexml": "xml", "qti": "zip"}


@pytest.mark.parametrize("fmt", ["yaml", "json", "csv", "xlsx", "gift", "qti"])
def test_a_written_bank_reads_back_with_every_detail_given(fmt):
    data = formats.write_bank(every_type_bank(), fmt).data
    result = formats.read_file(data, f"sample.{SUFFIX.get(fmt, fmt)}", fmt)
    assert result.bank.given == ALL_DETAILS and result.bank.title == "Sample bank"


def test_moodle_xml_carries_only_the_description():
    data = formats.write_bank(every_type_bank(), "moodlexml").data
    assert formats.read_file(data, "sample.xml", "moodlexml").bank.given == {"description"}


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("desk.gift", "::Q:: Who logs incidents? {=The desk ~The supplier}\n"),
        ("desk.txt", "Who logs incidents?\nA. The desk\nB. The supplier\nANSWER: A\n"),
        ("desk.yaml", "bank: {id: desk, title: Desk}\nquestions: []\n"),
    ],
)
def test_a_file_without_bank_details_gives_none_but_its_title_and_id(name, text):
    result = formats.read_file(text.encode(), name)
    expected = {"title"} if name.endswith(".yaml") else set()
    assert result.bank.given == expected
