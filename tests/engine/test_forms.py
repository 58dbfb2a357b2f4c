"""The form definitions in forms/ and the one validation the HTML page and the API share."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.forms import (
    FORMS_DIR,
    LANGUAGES,
    FormDefinition,
    FormDefinitionError,
    FormField,
    FormValidationError,
    load_form,
    load_forms,
    parse_form,
    validate_submission,
)

# The contract in forms/README.md: form key -> top-level fields (group columns after the colon).
CONTRACT: dict[str, dict[str, tuple[str, ...]]] = {
    "henvendelse": {
        "person_navn": (),
        "person_initialer": (),
        "fodselsdato": (),
        "henvendelse_fra": (),
        "henvendelse_dato": (),
        "beskrivelse": (),
        "samtykkekompetent": (),
        "foreldreansvar": (),
    },
    "vurdering": {
        "antall_tjenester": (),
        "langvarig_behov": (),
        "andre_sektorer": (),
        "tjenester": (),
        "vurdering_notat": (),
    },
    "forelopig_svar": {"arsak": (), "forventet_svar_dato": ()},
    "avslag": {"begrunnelse": (), "vedtaksdato": (), "klageinformasjon_gitt": ()},
    "samtykke": {
        "samtykke_gitt_av": ("navn", "rolle"),
        "samtykke_koordinator": (),
        "onsker_ip": (),
        "deler_med": ("navn", "instans"),
        "samtykkedato": (),
    },
    "samtykke_fornyelse": {
        "samtykke_gitt_av": ("navn", "rolle"),
        "deler_med": ("navn", "instans"),
        "samtykkedato": (),
    },
    "oppnevning": {
        "koordinator": (),
        "sekundar_koordinator": (),
        "personens_onsker": (),
        "barnekoordinator": (),
    },
    "kapasitet_godkjenning": {"godkjent": (), "kommentar": ()},
    "planlegging": {
        "verktoy": (),
        "mal": ("beskrivelse", "livsomrade"),
        "tiltak": ("beskrivelse", "ansvarlig", "frist"),
        "deltakere": ("navn", "rolle", "instans"),
        "moter": ("dato", "sakliste", "referat"),
        "neste_evaluering": (),
    },
    "evaluering": {
        "mal_nadd": (),
        "tjenester_fungerer": (),
        "arbeidsform_god": (),
        "planeiers_erfaring": (),
        "endringer": (),
        "deltakere_endret": (),
        "videre": (),
        "neste_evaluering": (),
    },
    "skifte": {
        "koordinator": (),
        "sekundar_koordinator": (),
        "arsak_skifte": (),
        "personens_onsker": (),
        "overlapp_til": (),
    },
    "overforing": {"informasjon_overfort": (), "notat_til_ke": ()},
    "avslutning_melding": {"arsak_avslutning": (), "oppsummering": ()},
    "avslutning": {"avsluttet_dato": (), "arkivert": ()},
}

# Choice values the process diagrams and decision tables compare against.
CHOICES = {
    ("henvendelse", "henvendelse_fra"): ("personen", "parorende", "tjeneste", "annen"),
    ("henvendelse", "foreldreansvar"): ("felles", "en_forelder", "ikke_aktuelt"),
    ("evaluering", "videre"): ("fortsett", "avslutt"),
    ("evaluering", "mal_nadd"): ("ja", "delvis", "nei"),
    ("planlegging", "verktoy"): ("individuell_plan", "ansvarsgruppe"),
    ("skifte", "arsak_skifte"): ("livsfase", "permisjon", "jobbskifte", "personens_onske", "annet"),
    ("avslutning_melding", "arsak_avslutning"): (
        "mal_nadd",
        "behov_opphort",
        "flyttet",
        "onsker_ikke",
        "dod",
        "annet",
    ),
}


@pytest.fixture(scope="module")
def forms() -> dict[str, FormDefinition]:
    return load_forms(FORMS_DIR)


def errors_of(form: FormDefinition, data: dict, lang: str = "nb") -> dict[str, str]:
    with pytest.raises(FormValidationError) as info:
        validate_submission(form, data, lang=lang)
    return info.value.errors


def valid_planlegging() -> dict:
    return {
        "verktoy": "individuell_plan",
        "mal": [{"beskrivelse": "  Gå på skolen hver dag  ", "livsomrade": "dagtid"}],
        "tiltak": [
            {"beskrivelse": "Skyss til skolen", "ansvarlig": "Skolen", "frist": "15.08.2025"},
            {"beskrivelse": "", "ansvarlig": "  ", "frist": ""},
            {"beskrivelse": "Søke avlastning", "ansvarlig": "Koordinator", "frist": "2025-09-01"},
        ],
        "deltakere": [{"navn": "Kari Nordmann", "rolle": "Mor", "instans": ""}],
        "moter": [],
        "neste_evaluering": "1.12.2025",
    }


# --------------------------------------------------------------------------- the forms


def test_every_form_of_the_readme_loads_with_exactly_its_fields(forms):
    assert set(forms) == set(CONTRACT)
    for key, fields in CONTRACT.items():
        form = forms[key]
        assert form.key == key
        assert [f.name for f in form.fields] == list(fields), key
        assert form.field_names() == set(fields)
        for name, columns in fields.items():
            field = form.field(name)
            assert (field.type == "group") == bool(columns), f"{key}.{name}"
            assert tuple(c.name for c in field.fields) == columns, f"{key}.{name}"


def test_choice_values_are_the_ones_the_process_uses(forms):
    for (key, name), values in CHOICES.items():
        assert forms[key].field(name).choice_values() == values


def _texts(form: FormDefinition):
    yield "title", form.title
    if form.intro:
        yield "intro", form.intro

    def walk(fields: tuple[FormField, ...], prefix: str):
        for f in fields:
            yield f"{prefix}{f.name}.label", f.label
            if f.help:
                yield f"{prefix}{f.name}.help", f.help
            for c in f.choices:
                yield f"{prefix}{f.name}.{c.value}", c.label
            yield from walk(f.fields, f"{prefix}{f.name}.")

    yield from walk(form.fields, "")


def test_every_title_label_help_and_choice_is_in_bokmal_nynorsk_and_english(forms):
    missing = [
        f"{key}: {where}: {lang}"
        for key, form in forms.items()
        for where, text in _texts(form)
        for lang in LANGUAGES
        if not getattr(text, lang)
    ]
    assert missing == []


def test_labels_fall_back_to_bokmal(forms):
    field = forms["vurdering"].field("antall_tjenester")
    assert (
        field.label("nb") == "Antall helse- og omsorgstjenester utover fastlege og helsesykepleier"
    )
    assert field.label("nn").startswith("Talet på helse- og omsorgstenester")
    assert field.label("se") == field.label("nb")  # no Sami texts yet
    assert str(forms["samtykke"].title) == "Innhent samtykke"


def test_the_rules_the_guidelines_carry_are_in_the_forms(forms):
    assert forms["planlegging"].field("tiltak").min_items == 1
    assert forms["planlegging"].field("mal").min_items == 1
    assert forms["samtykke"].field("samtykke_gitt_av").min_items == 1
    assert forms["planlegging"].field("neste_evaluering").required
    assert forms["avslag"].field("klageinformasjon_gitt").must_be is True
    evaluering = forms["evaluering"].field("neste_evaluering")
    assert not evaluering.required
    assert (evaluering.required_if.field, evaluering.required_if.equals) == ("videre", "fortsett")
    assert "16" in forms["samtykke"].intro("nb")
    assert "bare" in forms["samtykke"].field("deler_med").help("nb")


# --------------------------------------------------------------------------- validation


def test_a_valid_plan_cleans_to_plain_json(forms):
    cleaned = validate_submission(forms["planlegging"], valid_planlegging())
    assert cleaned == {
        "verktoy": "individuell_plan",
        "mal": [{"beskrivelse": "Gå på skolen hver dag", "livsomrade": "dagtid"}],
        "tiltak": [
            {"beskrivelse": "Skyss til skolen", "ansvarlig": "Skolen", "frist": "2025-08-15"},
            {"beskrivelse": "Søke avlastning", "ansvarlig": "Koordinator", "frist": "2025-09-01"},
        ],
        "deltakere": [{"navn": "Kari Nordmann", "rolle": "Mor", "instans": None}],
        "moter": [],
        "neste_evaluering": "2025-12-01",
    }
    assert json.loads(json.dumps(cleaned)) == cleaned


def test_a_missing_required_field_is_named(forms):
    data = valid_planlegging()
    del data["neste_evaluering"]
    assert errors_of(forms["planlegging"], data) == {"neste_evaluering": "Feltet må fylles ut."}


def test_a_bad_date_in_a_group_row_points_at_the_row_as_submitted(forms):
    data = valid_planlegging()
    data["tiltak"][1] = {"beskrivelse": "Møte med PPT", "ansvarlig": "PPT", "frist": "31.02.2025"}
    assert errors_of(forms["planlegging"], data) == {
        "tiltak[1].frist": "Skriv en gyldig dato (dd.mm.åååå)."
    }


def test_a_row_without_its_required_column(forms):
    data = valid_planlegging()
    data["tiltak"][1] = {"beskrivelse": "Møte med PPT", "ansvarlig": "PPT"}
    assert errors_of(forms["planlegging"], data) == {"tiltak[1].frist": "Feltet må fylles ut."}


def test_min_items_counts_only_rows_with_something_in_them(forms):
    data = valid_planlegging()
    data["tiltak"] = [{"beskrivelse": " ", "ansvarlig": "", "frist": None}]
    assert errors_of(forms["planlegging"], data) == {"tiltak": "Legg til minst én rad."}


def test_a_choice_outside_the_list(forms):
    data = valid_planlegging()
    data["verktoy"] = "stafettlogg"
    assert errors_of(forms["planlegging"], data) == {"verktoy": "Velg et av alternativene."}


def test_unknown_fields_are_refused_at_top_level_and_in_rows(forms):
    data = valid_planlegging()
    data["personnummer"] = "12345678901"
    data["mal"][0]["prioritet"] = "høy"
    assert errors_of(forms["planlegging"], data) == {
        "personnummer": "Ukjent felt.",
        "mal[0].prioritet": "Ukjent felt.",
    }


EVALUERING = {
    "mal_nadd": "delvis",
    "tjenester_fungerer": "ja",
    "arbeidsform_god": "ja",
    "planeiers_erfaring": "Trives på skolen.",
    "deltakere_endret": "nei",
}


def test_next_evaluation_is_required_only_when_the_work_continues(forms):
    form = forms["evaluering"]
    assert errors_of(form, {**EVALUERING, "videre": "fortsett"}) == {
        "neste_evaluering": "Feltet må fylles ut."
    }
    cleaned = validate_submission(form, {**EVALUERING, "videre": "avslutt"})
    assert cleaned["neste_evaluering"] is None
    assert cleaned["deltakere_endret"] is False
    assert cleaned["endringer"] is None
    cleaned = validate_submission(
        form, {**EVALUERING, "videre": "fortsett", "neste_evaluering": "01.03.2026"}
    )
    assert cleaned["neste_evaluering"] == "2026-03-01"


def test_required_if_on_a_boolean(forms):
    form = forms["overforing"]
    assert errors_of(form, {"informasjon_overfort": "nei"}) == {
        "notat_til_ke": "Feltet må fylles ut."
    }
    assert validate_submission(form, {"informasjon_overfort": "ja"}) == {
        "informasjon_overfort": True,
        "notat_til_ke": None,
    }


def test_a_refusal_needs_the_appeal_information_confirmed(forms):
    form = forms["avslag"]
    data = {"begrunnelse": "Bare én tjeneste.", "vedtaksdato": "2025-03-01"}
    assert errors_of(form, {**data, "klageinformasjon_gitt": False}) == {
        "klageinformasjon_gitt": "Dette må bekreftes før du kan gå videre."
    }
    assert errors_of(form, data) == {
        "klageinformasjon_gitt": "Dette må bekreftes før du kan gå videre."
    }
    cleaned = validate_submission(form, {**data, "klageinformasjon_gitt": "on"})
    assert cleaned["klageinformasjon_gitt"] is True


def test_messages_in_nynorsk_and_english(forms):
    data = valid_planlegging()
    del data["neste_evaluering"]
    data["tiltak"][0]["frist"] = "i morgen"
    data["ukjent"] = 1
    assert errors_of(forms["planlegging"], data, lang="nn") == {
        "neste_evaluering": "Feltet må fyllast ut.",
        "tiltak[0].frist": "Skriv ein gyldig dato (dd.mm.åååå).",
        "ukjent": "Ukjent felt.",
    }
    assert errors_of(forms["planlegging"], data, lang="en") == {
        "neste_evaluering": "This field is required.",
        "tiltak[0].frist": "Enter a valid date (dd.mm.yyyy).",
        "ukjent": "Unknown field.",
    }


def test_integers_booleans_and_limits(forms):
    form = forms["vurdering"]
    data = {
        "antall_tjenester": " 3 ",
        "langvarig_behov": "ja",
        "andre_sektorer": "0",
        "vurdering_notat": "Hjemmesykepleie, fysioterapi og avlastning.",
    }
    cleaned = validate_submission(form, data)
    assert cleaned["antall_tjenester"] == 3
    assert cleaned["langvarig_behov"] is True and cleaned["andre_sektorer"] is False
    assert cleaned["tjenester"] is None
    assert errors_of(form, {**data, "antall_tjenester": "-1"}) == {
        "antall_tjenester": "Tallet må være minst 0."
    }
    assert errors_of(form, {**data, "antall_tjenester": "to"}) == {
        "antall_tjenester": "Skriv et heltall."
    }
    assert errors_of(form, {**data, "antall_tjenester": True}) == {
        "antall_tjenester": "Skriv et heltall."
    }
    assert errors_of(form, {**data, "langvarig_behov": "kanskje"}) == {
        "langvarig_behov": "Velg ja eller nei."
    }
    assert errors_of(form, {**data, "vurdering_notat": "x" * 5001}) == {
        "vurdering_notat": "Teksten er for lang (høyst 5000 tegn)."
    }
    assert errors_of(form, {**data, "vurdering_notat": "null\x00byte"}) == {
        "vurdering_notat": "Teksten inneholder ugyldige tegn."
    }


def test_a_required_yes_no_question_must_be_answered_but_no_is_an_answer(forms):
    form = forms["kapasitet_godkjenning"]
    assert errors_of(form, {"kommentar": "Har allerede fem saker."}) == {
        "godkjent": "Velg ja eller nei."
    }
    assert errors_of(form, {}, lang="nn") == {"godkjent": "Vel ja eller nei."}
    assert validate_submission(form, {"godkjent": "nei"}) == {"godkjent": False, "kommentar": None}


def test_a_missing_optional_boolean_is_false(forms):
    cleaned = validate_submission(forms["oppnevning"], {"koordinator": "kari.nordmann"})
    assert cleaned == {
        "koordinator": "kari.nordmann",
        "sekundar_koordinator": None,
        "personens_onsker": None,
        "barnekoordinator": False,
    }


def test_data_that_is_not_a_mapping_or_rows_that_are_not_lists(forms):
    assert errors_of(forms["avslutning"], ["2025-01-01", True]) == {
        "_form": "Skjemaet ble sendt i et format som ikke kan leses."
    }
    data = valid_planlegging()
    data["tiltak"] = "Skyss til skolen"
    assert "tiltak" in errors_of(forms["planlegging"], data)


# --------------------------------------------------------------------------- broken files

GOOD = """\
key: {key}
title: {{nb: Prøve, nn: Prøve, en: Test}}
fields:
  - name: dato
    type: date
    label: {{nb: Dato, nn: Dato, en: Date}}
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def definition_error(path: Path) -> str:
    with pytest.raises(FormDefinitionError) as info:
        load_form(path)
    message = str(info.value)
    assert "\n" not in message and "Traceback" not in message
    assert message.startswith(f"{path}: ")
    return message


def test_a_good_file_loads(tmp_path):
    form = load_form(write(tmp_path, "prove.yaml", GOOD.format(key="prove")))
    assert form.field_names() == {"dato"}


def test_broken_yaml_gives_one_line_naming_the_file_and_line(tmp_path):
    path = write(tmp_path, "prove.yaml", "key: prove\ntitle: {nb: Prøve\nfields: [\n")
    message = definition_error(path)
    assert "line " in message and "not valid YAML" in message


def test_a_schema_violation_names_the_field(tmp_path):
    text = GOOD.format(key="prove").replace("type: date", "type: dato")
    message = definition_error(write(tmp_path, "prove.yaml", text))
    assert message.startswith(f"{tmp_path / 'prove.yaml'}: dato.type: 'dato' is not allowed")


def test_a_label_without_bokmal(tmp_path):
    text = GOOD.format(key="prove").replace("{nb: Dato, nn: Dato, en: Date}", "{nn: Dato}")
    assert definition_error(write(tmp_path, "prove.yaml", text)).endswith(
        ": dato.label: missing 'nb'"
    )


def test_unquoted_no_in_yaml_gets_a_hint(tmp_path):
    text = GOOD.format(key="prove").replace("en: Date", "en: No")
    message = definition_error(write(tmp_path, "prove.yaml", text))
    assert "dato.label.en: must be a text" in message and "quotes" in message


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (
            "  - name: dato\n    type: text\n    label: {nb: Igjen}\n",
            ": dato: the field name 'dato' is used twice",
        ),
        (
            "  - name: valg\n    type: choice\n    label: {nb: Valg}\n",
            ": valg: missing 'choices'",
        ),
        (
            (
                "  - name: notat\n    type: textarea\n"
                "    required_if: {field: videre, equals: ja}\n    label: {nb: Notat}\n"
            ),
            ": notat.required_if.field: 'videre' is not a field of this form",
        ),
        (
            (
                "  - name: svar\n    type: boolean\n    must_be: true\n    min: 1\n"
                "    label: {nb: Svar}\n"
            ),
            ": svar.min: not allowed for a field of type 'boolean'",
        ),
        (
            (
                "  - name: rader\n    type: group\n    label: {nb: Rader}\n    fields:\n"
                "      - name: frist\n        type: date\n        lable: {nb: Frist}\n"
            ),
            ": rader.frist: unknown key 'lable'",
        ),
        (
            "  - name: class\n    type: text\n    label: {nb: Klasse}\n",
            ": class: 'class' is a reserved word",
        ),
    ],
)
def test_what_the_schema_cannot_say_is_checked_too(tmp_path, extra, expected):
    message = definition_error(write(tmp_path, "prove.yaml", GOOD.format(key="prove") + extra))
    assert expected in message


def test_the_key_must_match_the_file_name(tmp_path):
    message = definition_error(write(tmp_path, "prove.yaml", GOOD.format(key="annen")))
    assert ": key: the key 'annen' must match the file name" in message


def test_a_key_given_twice_is_refused(tmp_path):
    text = GOOD.format(key="prove") + "    label: {nb: Igjen}\n"
    assert "the key 'label' appears twice" in definition_error(write(tmp_path, "prove.yaml", text))


def test_aliases_and_deep_nesting_are_refused(tmp_path):
    bomb = 'a: &a ["x", "x"]\nb: &b [*a, *a]\nc: [*b, *b]\n'
    assert "aliases" in definition_error(write(tmp_path, "prove.yaml", bomb))
    deep = "key: " + "[" * 5000 + "]" * 5000 + "\n"
    assert ": line 1: the YAML is nested too deeply" in definition_error(
        write(tmp_path, "prove.yaml", deep)
    )


def test_a_file_over_256_kb_is_refused_unread(tmp_path):
    text = GOOD.format(key="prove") + "#" * (256 * 1024) + "\n"
    assert "larger than 256 KB" in definition_error(write(tmp_path, "prove.yaml", text))


def test_a_file_that_is_not_a_form(tmp_path):
    assert "must hold one form" in definition_error(write(tmp_path, "prove.yaml", "- a\n- b\n"))
    assert "must hold one form" in definition_error(write(tmp_path, "prove.yaml", ""))


def test_load_forms_stops_at_the_first_broken_file(tmp_path):
    write(tmp_path, "a.yaml", GOOD.format(key="a"))
    write(tmp_path, "b.yaml", GOOD.format(key="b").replace("type: date", "type: dato"))
    write(tmp_path, "README.md", "# not a form\n")
    with pytest.raises(FormDefinitionError) as info:
        load_forms(tmp_path)
    assert str(info.value).startswith(f"{tmp_path / 'b.yaml'}: dato.type:")
    (tmp_path / "b.yaml").unlink()
    assert set(load_forms(tmp_path)) == {"a"}


def test_a_stored_copy_parses_to_the_same_form(forms):
    for key, form in forms.items():
        text = (FORMS_DIR / f"{key}.yaml").read_text(encoding="utf-8")
        assert parse_form(text, f"{key}.yaml") == form


def test_the_error_parts_for_bundle_validation():
    text = GOOD.format(key="prove").replace("type: date", "type: dato")
    with pytest.raises(FormDefinitionError) as info:
        parse_form(text, "prove.yaml")
    err = info.value
    assert (err.file, err.field) == ("prove.yaml", "dato.type")
    assert err.message == f"dato.type: {err.detail}"
    assert str(err) == f"prove.yaml: {err.message}"
    assert str(err.to_problem()) == f"prove.yaml:dato.type: {err.detail}"
    with pytest.raises(FormDefinitionError, match="must match the file name"):
        parse_form(GOOD.format(key="prove"), "annen.yaml")
