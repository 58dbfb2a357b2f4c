"""What a validation problem means and what to do about it, in the process owner's language.

The engine reports each problem with a stable `code` and the values behind it (`params`, see
`engine.errors.PROBLEM_CODES`); this module turns them into a sentence and an instruction in
bokmål, nynorsk or English. A plain dict keeps every text of one problem side by side, so a
translator sees the three together and a test can check that they use the same placeholders.

Placeholders are `{name}`-style and filled by simple substitution (not `str.format`), so a text
may show literal braces such as `${ }`. Codes this catalog does not know fall back to the
engine's English message with a general instruction in the chosen language.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from engine.errors import Problem
from engine.xmlsafe import MAX_XML_BYTES

LANGUAGES = ("nb", "nn", "en")
DEFAULT_LANGUAGE = "nb"
PLACEHOLDER = re.compile(r"\{(\w+)\}")
_MB = MAX_XML_BYTES // (1024 * 1024)

_NB_ROLES = "Koordinerende enhet, Koordinator eller Leder"
_NN_ROLES = "Koordinerande eining, Koordinator eller Leiar"

GENERIC_ACTION = {
    "nb": "Rett elementet som er merket i diagrammet. Spør en systemansvarlig hvis du ikke "
          "skjønner hva meldingen betyr.",
    "nn": "Rett elementet som er merkt i diagrammet. Spør ein systemansvarleg viss du ikkje "
          "skjønar kva meldinga tyder.",
    "en": "Fix the element marked in the diagram. Ask a system administrator if the message is "
          "unclear.",
}

Texts = dict[str, tuple[str, str]]


def _t(what: str, action: str) -> tuple[str, str]:
    """One language's (what is wrong, what to do); a call keeps long texts readable in the dict."""
    return what, action


# code -> language -> (what is wrong, what to do)
CATALOG: dict[str, Texts] = {
    # --- files and bundles ---------------------------------------------------------------------
    "bundle.no_files": {
        "nb": _t("Mappen har ingen BPMN- eller DMN-fil.",
               "Legg prosessdiagrammet (.bpmn) og eventuelle beslutningstabeller (.dmn) i mappen."),
        "nn": _t("Mappa har inga BPMN- eller DMN-fil.",
               "Legg prosessdiagrammet (.bpmn) og eventuelle avgjerdstabellar (.dmn) i mappa."),
        "en": _t("The folder holds no BPMN or DMN file.",
               "Put the process diagram (.bpmn) and any decision tables (.dmn) in the folder."),
    },
    "bundle.not_found": {
        "nb": _t("Filen eller mappen finnes ikke.", "Sjekk at navnet og stien er skrevet riktig."),
        "nn": _t("Fila eller mappa finst ikkje.", "Sjekk at namnet og stien er skrivne rett."),
        "en": _t("The file or folder does not exist.", "Check the name and the path."),
    },
    "bundle.too_many_files": {
        "nb": _t("Prosessen har flere enn {max} filer.",
               "Fjern filer som ikke hører til prosessen, slik at det blir høyst {max}."),
        "nn": _t("Prosessen har fleire enn {max} filer.",
               "Fjern filer som ikkje høyrer til prosessen, slik at det blir høgst {max}."),
        "en": _t("The process has more than {max} files.",
               "Remove files that do not belong to the process, so that at most {max} remain."),
    },
    "bundle.no_bpmn": {
        "nb": _t("Det finnes ikke noe prosessdiagram (BPMN) her.",
               "Lag eller last opp et prosessdiagram. En beslutningstabell alene kan ikke tas i "
               "bruk."),
        "nn": _t("Det finst ikkje noko prosessdiagram (BPMN) her.",
               "Lag eller last opp eit prosessdiagram. Ein avgjerdstabell åleine kan ikkje takast "
               "i bruk."),
        "en": _t("There is no process diagram (BPMN) here.",
               "Create or upload a process diagram. A decision table alone cannot be used."),
    },
    "bundle.nothing_to_deploy": {
        "nb": _t("Det er ikke noe prosessdiagram å publisere.",
               "Legg til et prosessdiagram (.bpmn) før du publiserer."),
        "nn": _t("Det er ikkje noko prosessdiagram å publisere.",
               "Legg til eit prosessdiagram (.bpmn) før du publiserer."),
        "en": _t("There is no process diagram to publish.",
               "Add a process diagram (.bpmn) before you publish."),
    },
    "bundle.entry_count": {
        "nb": _t("Det må være nøyaktig én kjørbar hovedprosess, men det er {count}: {processes}.",
               "La bare hovedprosessen være kjørbar (Executable). Andre prosesser må enten kalles "
               "fra hovedprosessen med en kallaktivitet eller ikke være kjørbare."),
        "nn": _t("Det må vere nøyaktig éin køyrbar hovudprosess, men det er {count}: {processes}.",
               "La berre hovudprosessen vere køyrbar (Executable). Andre prosessar må anten "
               "kallast frå hovudprosessen med ein kallaktivitet eller ikkje vere køyrbare."),
        "en": _t("There must be exactly one executable main process, but there are {count}: "
               "{processes}.",
               "Make only the main process executable. Other processes must either be called "
               "from the main process with a call activity or not be executable."),
    },
    "draft.file_count": {
        "nb": _t("Et utkast må ha mellom 1 og {max} filer.",
               "Lagre utkastet med minst én og høyst {max} BPMN- eller DMN-filer."),
        "nn": _t("Eit utkast må ha mellom 1 og {max} filer.",
               "Lagre utkastet med minst éi og høgst {max} BPMN- eller DMN-filer."),
        "en": _t("A draft holds 1 to {max} files.",
               "Save the draft with at least one and at most {max} BPMN or DMN files."),
    },
    "draft.file_name": {
        "nb": _t("Bare .bpmn- og .dmn-filer med et enkelt filnavn er tillatt.",
               "Gi filen et navn som slutter på .bpmn eller .dmn, uten mapper eller skråstrek."),
        "nn": _t("Berre .bpmn- og .dmn-filer med eit enkelt filnamn er lov.",
               "Gi fila eit namn som sluttar på .bpmn eller .dmn, utan mapper eller skråstrek."),
        "en": _t("Only .bpmn and .dmn files with a plain file name are allowed.",
               "Give the file a name ending in .bpmn or .dmn, without folders or slashes."),
    },
    "draft.file_too_large": {
        "nb": _t(f"Filen er ikke tekst, eller den er større enn {_MB} MB.",
               "Lagre diagrammet på nytt fra modelleringsverktøyet. Er det svært stort, del det "
               "opp i en hovedprosess og kalte prosesser."),
        "nn": _t(f"Fila er ikkje tekst, eller ho er større enn {_MB} MB.",
               "Lagre diagrammet på nytt frå modelleringsverktøyet. Er det svært stort, del det "
               "opp i ein hovudprosess og kalla prosessar."),
        "en": _t(f"The file is not text or is larger than {_MB} MB.",
               "Save the diagram again from the modeler. If it is very large, split it into a "
               "main process and called processes."),
    },
    "file.unreadable": {
        "nb": _t("Filen kan ikke leses ({reason}).",
               "Sjekk at filen finnes og at du har tilgang til den, og prøv igjen."),
        "nn": _t("Fila kan ikkje lesast ({reason}).",
               "Sjekk at fila finst og at du har tilgang til henne, og prøv igjen."),
        "en": _t("The file cannot be read ({reason}).",
               "Check that the file exists and that you may read it, then try again."),
    },
    "file.not_bpmn_or_dmn": {
        "nb": _t("Filen er verken et BPMN 2.0-diagram eller en DMN-tabell (den starter med "
               "«{root}»).",
               "Lagre diagrammet som BPMN 2.0 (eller tabellen som DMN) fra modelleringsverktøyet, "
               "og last det opp på nytt."),
        "nn": _t("Fila er korkje eit BPMN 2.0-diagram eller ein DMN-tabell (ho startar med "
               "«{root}»).",
               "Lagre diagrammet som BPMN 2.0 (eller tabellen som DMN) frå modelleringsverktøyet, "
               "og last det opp på nytt."),
        "en": _t("The file is neither a BPMN 2.0 diagram nor a DMN table (it starts with "
               "'{root}').",
               "Save the diagram as BPMN 2.0 (or the table as DMN) from the modeler and upload "
               "it again."),
    },
    "xml.too_large": {
        "nb": _t(f"Filen er større enn {_MB} MB.",
               "Fjern innhold som ikke trengs, eller del prosessen opp i flere diagrammer."),
        "nn": _t(f"Fila er større enn {_MB} MB.",
               "Fjern innhald som ikkje trengst, eller del prosessen opp i fleire diagram."),
        "en": _t(f"The file is larger than {_MB} MB.",
               "Remove what is not needed, or split the process into several diagrams."),
    },
    "xml.doctype": {
        "nb": _t("Filen inneholder en DOCTYPE- eller ENTITY-linje, som ikke er tillatt av "
               "sikkerhetshensyn.",
               "Lagre diagrammet på nytt fra modelleringsverktøyet, eller fjern linjene som "
               "starter med <!DOCTYPE eller <!ENTITY."),
        "nn": _t("Fila inneheld ei DOCTYPE- eller ENTITY-linje, som ikkje er lov av omsyn til "
               "tryggleiken.",
               "Lagre diagrammet på nytt frå modelleringsverktøyet, eller fjern linjene som "
               "startar med <!DOCTYPE eller <!ENTITY."),
        "en": _t("The file declares a DOCTYPE or entities, which are refused for security reasons.",
               "Save the diagram again from the modeler, or remove the lines starting with "
               "<!DOCTYPE or <!ENTITY."),
    },
    "xml.not_xml": {
        "nb": _t("Filen er ikke en XML-fil.",
               "Last opp selve .bpmn- eller .dmn-filen slik modelleringsverktøyet lagrer den."),
        "nn": _t("Fila er ikkje ei XML-fil.",
               "Last opp sjølve .bpmn- eller .dmn-fila slik modelleringsverktøyet lagrar henne."),
        "en": _t("The file is not an XML file.",
               "Upload the .bpmn or .dmn file itself, as the modeler saves it."),
    },
    "xml.broken": {
        "nb": _t("XML-en i filen er ødelagt: {detail}.",
               "Åpne filen i modelleringsverktøyet og lagre den på nytt, eller rett feilen på "
               "linjen som er nevnt."),
        "nn": _t("XML-en i fila er øydelagd: {detail}.",
               "Opne fila i modelleringsverktøyet og lagre henne på nytt, eller rett feilen på "
               "linja som er nemnd."),
        "en": _t("The XML in the file is broken: {detail}.",
               "Open the file in the modeler and save it again, or fix the line mentioned."),
    },
    "xml.unsafe": {
        "nb": _t("Filen kan ikke leses trygt: {detail}.",
               "Lagre diagrammet på nytt fra modelleringsverktøyet og last det opp igjen."),
        "nn": _t("Fila kan ikkje lesast trygt: {detail}.",
               "Lagre diagrammet på nytt frå modelleringsverktøyet og last det opp att."),
        "en": _t("The file cannot be read safely: {detail}.",
               "Save the diagram again from the modeler and upload it again."),
    },
    "bpmn.schema": {
        "nb": _t("Diagrammet følger ikke BPMN 2.0-standarden: {detail}.",
               "Åpne diagrammet i modelleringsverktøyet, rett elementet som er nevnt, og lagre på "
               "nytt."),
        "nn": _t("Diagrammet følgjer ikkje BPMN 2.0-standarden: {detail}.",
               "Opne diagrammet i modelleringsverktøyet, rett elementet som er nemnt, og lagre på "
               "nytt."),
        "en": _t("The diagram does not follow the BPMN 2.0 standard: {detail}.",
               "Open the diagram in the modeler, fix the element mentioned and save again."),
    },
    "process.not_executable": {
        "nb": _t("Diagrammet beskriver en prosess, men er ikke merket som kjørbar.",
               "Velg prosessen (eller deltakeren) og kryss av for «Executable» i egenskapene."),
        "nn": _t("Diagrammet skildrar ein prosess, men er ikkje merkt som køyrbar.",
               "Vel prosessen (eller deltakaren) og kryss av for «Executable» i eigenskapane."),
        "en": _t("The diagram describes a process but is not marked as executable.",
               "Select the process (or participant) and tick 'Executable' in its properties."),
    },
    "engine.rejected": {
        "nb": _t("Prosessmotoren godtar ikke diagrammet: {detail}.",
               "Rett elementet som er merket. Spør en systemansvarlig hvis meldingen er uklar."),
        "nn": _t("Prosessmotoren godtek ikkje diagrammet: {detail}.",
               "Rett elementet som er merkt. Spør ein systemansvarleg viss meldinga er uklar."),
        "en": _t("The process engine does not accept the diagram: {detail}.",
               "Fix the marked element. Ask a system administrator if the message is unclear."),
    },
    "engine.unreadable": {
        "nb": _t("Prosessmotoren kan ikke lese diagrammet: {detail}.",
               "Sjekk diagrammet i modelleringsverktøyet, og spør en systemansvarlig hvis du ikke "
               "finner feilen."),
        "nn": _t("Prosessmotoren kan ikkje lese diagrammet: {detail}.",
               "Sjekk diagrammet i modelleringsverktøyet, og spør ein systemansvarleg viss du "
               "ikkje finn feilen."),
        "en": _t("The process engine cannot read the diagram: {detail}.",
               "Check the diagram in the modeler, and ask a system administrator if you cannot "
               "find the fault."),
    },
    # --- forms ---------------------------------------------------------------------------------
    "form.invalid": {
        "nb": _t("Skjemaet «{form}» kan ikke brukes (felt {field}): {detail}.",
               "Rett skjemadefinisjonen, eller be den som vedlikeholder skjemaene om hjelp."),
        "nn": _t("Skjemaet «{form}» kan ikkje brukast (felt {field}): {detail}.",
               "Rett skjemadefinisjonen, eller be den som held ved like skjemaa om hjelp."),
        "en": _t("The form '{form}' cannot be used (field {field}): {detail}.",
               "Fix the form definition, or ask whoever maintains the forms for help."),
    },
    # --- user tasks ----------------------------------------------------------------------------
    "user_task.no_form": {
        "nb": _t("Brukeroppgaven «{name}» har ikke noe skjema.",
               "Velg oppgaven og sett egenskapen formKey til navnet på skjemaet som skal fylles "
               "ut, for eksempel vurdering."),
        "nn": _t("Brukaroppgåva «{name}» har ikkje noko skjema.",
               "Vel oppgåva og set eigenskapen formKey til namnet på skjemaet som skal fyllast "
               "ut, til dømes vurdering."),
        "en": _t("The user task '{name}' has no form.",
               "Select the task and set its formKey property to the name of the form to fill "
               "in, e.g. vurdering."),
    },
    "user_task.unknown_form": {
        "nb": _t("Brukeroppgaven «{name}» bruker skjemaet «{form}», som ikke finnes.",
               "Rett skrivemåten i formKey, eller velg et skjema som finnes i skjemabiblioteket."),
        "nn": _t("Brukaroppgåva «{name}» brukar skjemaet «{form}», som ikkje finst.",
               "Rett skrivemåten i formKey, eller vel eit skjema som finst i skjemabiblioteket."),
        "en": _t("The user task '{name}' uses the form '{form}', which does not exist.",
               "Correct the spelling in formKey, or choose a form from the form library."),
    },
    "user_task.camunda_form": {
        "nb": _t("Brukeroppgaven «{name}» har skjemaet «{form}» i camunda:formKey, som denne "
               "løsningen ikke leser.",
               "Skriv «{form}» i egenskapen formKey (under spiffworkflow-egenskapene) i stedet."),
        "nn": _t("Brukaroppgåva «{name}» har skjemaet «{form}» i camunda:formKey, som denne "
               "løysinga ikkje les.",
               "Skriv «{form}» i eigenskapen formKey (under spiffworkflow-eigenskapane) i staden."),
        "en": _t("The user task '{name}' names the form '{form}' in camunda:formKey, which this "
               "system does not read.",
               "Put '{form}' in the formKey property (among the spiffworkflow properties) "
               "instead."),
    },
    "user_task.no_stage": {
        "nb": _t("Brukeroppgaven «{name}» mangler fase, så saken kan ikke vises i riktig fase.",
               "Sett egenskapen stage til en av disse verdiene: {stages}."),
        "nn": _t("Brukaroppgåva «{name}» manglar fase, så saka kan ikkje visast i rett fase.",
               "Set eigenskapen stage til ein av desse verdiane: {stages}."),
        "en": _t("The user task '{name}' has no stage, so the case cannot be shown in the right "
               "stage.",
               "Set the stage property to one of these values: {stages}."),
    },
    "user_task.unknown_stage": {
        "nb": _t("Brukeroppgaven «{name}» har en ukjent fase: «{stage}».",
               "Sett egenskapen stage til en av disse verdiene: {stages}."),
        "nn": _t("Brukaroppgåva «{name}» har ein ukjend fase: «{stage}».",
               "Set eigenskapen stage til ein av desse verdiane: {stages}."),
        "en": _t("The user task '{name}' has an unknown stage: '{stage}'.",
               "Set the stage property to one of these values: {stages}."),
    },
    "user_task.bad_due": {
        "nb": _t("Fristen «{due}» på brukeroppgaven «{name}» er ikke en gyldig varighet.",
               "Skriv fristen (dueIn) som en ISO 8601-varighet, for eksempel P14D for 14 dager "
               "eller P1M for én måned."),
        "nn": _t("Fristen «{due}» på brukaroppgåva «{name}» er ikkje ei gyldig varigheit.",
               "Skriv fristen (dueIn) som ei ISO 8601-varigheit, til dømes P14D for 14 dagar "
               "eller P1M for éin månad."),
        "en": _t("The deadline '{due}' on the user task '{name}' is not a valid duration.",
               "Write the deadline (dueIn) as an ISO 8601 duration, e.g. P14D for 14 days or "
               "P1M for one month."),
    },
    "user_task.no_lane": {
        "nb": _t("Brukeroppgaven «{name}» ligger ikke i noen svømmebane, så ingen rolle får "
               "oppgaven.",
               f"Flytt oppgaven inn i svømmebanen til rollen som skal gjøre den ({_NB_ROLES})."),
        "nn": _t("Brukaroppgåva «{name}» ligg ikkje i nokon symjebane, så ingen rolle får "
               "oppgåva.",
               f"Flytt oppgåva inn i symjebanen til rolla som skal gjere henne ({_NN_ROLES})."),
        "en": _t("The user task '{name}' is in no lane, so no role gets the task.",
               "Move the task into the lane of the role that does it (Coordinating unit, "
               "Coordinator or Leader)."),
    },
    "user_task.unknown_lane": {
        "nb": _t("Brukeroppgaven «{name}» ligger i svømmebanen «{lane}», som ikke er en kjent "
               "rolle.",
               f"Gi svømmebanen navnet til en av rollene ({_NB_ROLES}), eller flytt oppgaven "
               "til en slik svømmebane."),
        "nn": _t("Brukaroppgåva «{name}» ligg i symjebanen «{lane}», som ikkje er ei kjend rolle.",
               f"Gi symjebanen namnet til ei av rollene ({_NN_ROLES}), eller flytt oppgåva til "
               "ein slik symjebane."),
        "en": _t("The user task '{name}' is in the lane '{lane}', which is not a known role.",
               "Name the lane after one of the roles (Koordinerende enhet, Koordinator or "
               "Leder), or move the task to such a lane."),
    },
    "task.no_type": {
        "nb": _t("Oppgaven «{name}» har ingen type.",
               "Gjør den om til en brukeroppgave med skjema (når noen skal gjøre noe) eller en "
               "skriptoppgave (når systemet gjør det), med skiftenøkkelen i modelleringsverktøyet."),
        "nn": _t("Oppgåva «{name}» har ingen type.",
               "Gjer henne om til ei brukaroppgåve med skjema (når nokon skal gjere noko) eller "
               "ei skriptoppgåve (når systemet gjer det), med skiftenøkkelen i "
               "modelleringsverktøyet."),
        "en": _t("The task '{name}' has no type.",
               "Change it into a user task with a form (someone does something) or a script "
               "task (the system does it), with the wrench in the modeler."),
    },
    # --- business rule tasks and decision tables -----------------------------------------------
    "rule_task.camunda_decision": {
        "nb": _t("Regeloppgaven «{name}» viser til tabellen «{decision}» med camunda:decisionRef, "
               "som denne løsningen ikke leser.",
               "Sett calledDecisionId til «{decision}» i stedet."),
        "nn": _t("Regeloppgåva «{name}» viser til tabellen «{decision}» med camunda:decisionRef, "
               "som denne løysinga ikkje les.",
               "Set calledDecisionId til «{decision}» i staden."),
        "en": _t("The business rule task '{name}' names the table '{decision}' in "
               "camunda:decisionRef, which this system does not read.",
               "Set calledDecisionId to '{decision}' instead."),
    },
    "rule_task.no_decision": {
        "nb": _t("Regeloppgaven «{name}» sier ikke hvilken beslutningstabell den skal bruke.",
               "Sett calledDecisionId til ID-en til beslutningstabellen (DMN)."),
        "nn": _t("Regeloppgåva «{name}» seier ikkje kva for avgjerdstabell ho skal bruke.",
               "Set calledDecisionId til ID-en til avgjerdstabellen (DMN)."),
        "en": _t("The business rule task '{name}' does not say which decision table to use.",
               "Set calledDecisionId to the id of the decision table (DMN)."),
    },
    "rule_task.missing_decision": {
        "nb": _t("Regeloppgaven «{name}» bruker beslutningstabellen «{decision}», som ikke finnes "
               "i prosessen.",
               "Legg til DMN-filen med tabellen «{decision}», eller rett navnet i "
               "calledDecisionId."),
        "nn": _t("Regeloppgåva «{name}» brukar avgjerdstabellen «{decision}», som ikkje finst i "
               "prosessen.",
               "Legg til DMN-fila med tabellen «{decision}», eller rett namnet i "
               "calledDecisionId."),
        "en": _t("The business rule task '{name}' uses the decision table '{decision}', which is "
               "not in the process.",
               "Add the DMN file with the table '{decision}', or correct the name in "
               "calledDecisionId."),
    },
    "dmn.several_decisions": {
        "nb": _t("DMN-filen har {count} beslutninger, men løsningen leser bare én per fil.",
               "Legg hver beslutningstabell i en egen DMN-fil."),
        "nn": _t("DMN-fila har {count} avgjerder, men løysinga les berre éi per fil.",
               "Legg kvar avgjerdstabell i ei eiga DMN-fil."),
        "en": _t("The DMN file holds {count} decisions, but only one per file is read.",
               "Put each decision table in a DMN file of its own."),
    },
    "dmn.no_table": {
        "nb": _t("Beslutningen «{name}» har ingen beslutningstabell.",
               "Lag en beslutningstabell for beslutningen i DMN-verktøyet."),
        "nn": _t("Avgjerda «{name}» har ingen avgjerdstabell.",
               "Lag ein avgjerdstabell for avgjerda i DMN-verktøyet."),
        "en": _t("The decision '{name}' has no decision table.",
               "Create a decision table for the decision in the DMN editor."),
    },
    "dmn.input_no_expression": {
        "nb": _t("Inndatakolonnen «{name}» i beslutningstabellen har ikke noe uttrykk.",
               "Skriv hvilket skjemafelt kolonnen skal lese, for eksempel alder."),
        "nn": _t("Inndatakolonnen «{name}» i avgjerdstabellen har ikkje noko uttrykk.",
               "Skriv kva for skjemafelt kolonnen skal lese, til dømes alder."),
        "en": _t("The input column '{name}' of the decision table has no expression.",
               "Enter the form field the column reads, e.g. alder."),
    },
    "dmn.input_refused": {
        "nb": _t("Uttrykket «{expression}» i en inndatakolonne er ikke tillatt: {reason}.",
               "Skriv et enkelt uttrykk med skjemafeltene, for eksempel antall_tjenester."),
        "nn": _t("Uttrykket «{expression}» i ein inndatakolonne er ikkje lov: {reason}.",
               "Skriv eit enkelt uttrykk med skjemafelta, til dømes antall_tjenester."),
        "en": _t("The expression '{expression}' in an input column is not allowed: {reason}.",
               "Write a simple expression over the form fields, e.g. antall_tjenester."),
    },
    "dmn.cell_refused": {
        "nb": _t("Cellen «{text}» i beslutningstabellen er ikke tillatt: {reason}.",
               "Skriv en enkel verdi eller sammenligning, for eksempel \"barn\", >= 18 eller "
               "True."),
        "nn": _t("Cella «{text}» i avgjerdstabellen er ikkje lov: {reason}.",
               "Skriv ein enkel verdi eller samanlikning, til dømes \"barn\", >= 18 eller True."),
        "en": _t("The cell '{text}' in the decision table is not allowed: {reason}.",
               "Write a simple value or comparison, e.g. \"barn\", >= 18 or True."),
    },
    "dmn.duplicate_id": {
        "nb": _t("Beslutnings-ID-en «{decision}» brukes også i {other_file}.",
               "Gi hver beslutningstabell sin egen ID, eller fjern den ene filen."),
        "nn": _t("Avgjerds-ID-en «{decision}» blir òg brukt i {other_file}.",
               "Gi kvar avgjerdstabell sin eigen ID, eller fjern den eine fila."),
        "en": _t("The decision id '{decision}' is also used in {other_file}.",
               "Give each decision table an id of its own, or remove one of the files."),
    },
    "dmn.unreadable": {
        "nb": _t("Prosessmotoren kan ikke lese beslutningstabellen: {detail}.",
               "Åpne tabellen i DMN-verktøyet, rett det som er nevnt, og lagre på nytt."),
        "nn": _t("Prosessmotoren kan ikkje lese avgjerdstabellen: {detail}.",
               "Opne tabellen i DMN-verktøyet, rett det som er nemnt, og lagre på nytt."),
        "en": _t("The process engine cannot read the decision table: {detail}.",
               "Open the table in the DMN editor, fix what is mentioned and save again."),
    },
    "dmn.field_not_provided": {
        "nb": _t("Beslutningstabellen «{decision}» i «{name}» leser feltet «{field}», men ingen "
               "skjema eller tabell tidligere i prosessen fyller ut det feltet.",
               "Rett feltnavnet i tabellen, eller sørg for at et skjema tidligere i prosessen har "
               "feltet «{field}»."),
        "nn": _t("Avgjerdstabellen «{decision}» i «{name}» les feltet «{field}», men ikkje noko "
               "skjema eller nokon tabell tidlegare i prosessen fyller ut det feltet.",
               "Rett feltnamnet i tabellen, eller sjå til at eit skjema tidlegare i prosessen har "
               "feltet «{field}»."),
        "en": _t("The decision table '{decision}' in '{name}' reads the field '{field}', which no "
               "earlier form or table fills in.",
               "Correct the field name in the table, or make sure a form earlier in the process "
               "has the field '{field}'."),
    },
    # --- conditions, scripts, timers -----------------------------------------------------------
    "condition.juel": {
        "nb": _t("Betingelsen «{condition}» på «{name}» er skrevet som et Camunda-uttrykk.",
               "Skriv betingelsen som et enkelt uttrykk med skjemafeltene, uten ${ }, for "
               "eksempel godkjent == True."),
        "nn": _t("Vilkåret «{condition}» på «{name}» er skrive som eit Camunda-uttrykk.",
               "Skriv vilkåret som eit enkelt uttrykk med skjemafelta, utan ${ }, til dømes "
               "godkjent == True."),
        "en": _t("The condition '{condition}' on '{name}' is written as a Camunda expression.",
               "Write the condition as a simple expression over the form fields, without ${ }, "
               "e.g. godkjent == True."),
    },
    "condition.refused": {
        "nb": _t("Betingelsen «{condition}» på «{name}» er ikke tillatt: {reason}.",
               "Skriv en enkel sammenligning av skjemafelter, for eksempel onsker_ip == True."),
        "nn": _t("Vilkåret «{condition}» på «{name}» er ikkje lov: {reason}.",
               "Skriv ei enkel samanlikning av skjemafelt, til dømes onsker_ip == True."),
        "en": _t("The condition '{condition}' on '{name}' is not allowed: {reason}.",
               "Write a simple comparison of form fields, e.g. onsker_ip == True."),
    },
    "condition.field_not_provided": {
        "nb": _t("Betingelsen «{condition}» på «{name}» leser feltet «{field}», men ingen skjema "
               "eller beslutningstabell tidligere i prosessen fyller ut det feltet.",
               "Rett feltnavnet i betingelsen, eller sørg for at et skjema tidligere i prosessen "
               "har feltet «{field}»."),
        "nn": _t("Vilkåret «{condition}» på «{name}» les feltet «{field}», men ikkje noko skjema "
               "eller nokon avgjerdstabell tidlegare i prosessen fyller ut det feltet.",
               "Rett feltnamnet i vilkåret, eller sjå til at eit skjema tidlegare i prosessen har "
               "feltet «{field}»."),
        "en": _t("The condition '{condition}' on '{name}' reads the field '{field}', which no "
               "earlier form or decision table fills in.",
               "Correct the field name in the condition, or make sure a form earlier in the "
               "process has the field '{field}'."),
    },
    "script.refused": {
        "nb": _t("Skriptet i «{name}» er ikke tillatt: {reason}.",
               "Skriv om skriptet uten import, while-løkker, funksjonsdefinisjoner og navn som "
               "starter med _."),
        "nn": _t("Skriptet i «{name}» er ikkje lov: {reason}.",
               "Skriv om skriptet utan import, while-løkker, funksjonsdefinisjonar og namn som "
               "startar med _."),
        "en": _t("The script in '{name}' is not allowed: {reason}.",
               "Rewrite the script without imports, while loops, function definitions and names "
               "starting with _."),
    },
    "script.hook_refused": {
        "nb": _t("Skriptet {hook} i «{name}» er ikke tillatt: {reason}.",
               "Skriv om skriptet uten import, while-løkker, funksjonsdefinisjoner og navn som "
               "starter med _."),
        "nn": _t("Skriptet {hook} i «{name}» er ikkje lov: {reason}.",
               "Skriv om skriptet utan import, while-løkker, funksjonsdefinisjonar og namn som "
               "startar med _."),
        "en": _t("The {hook} script in '{name}' is not allowed: {reason}.",
               "Rewrite the script without imports, while loops, function definitions and names "
               "starting with _."),
    },
    "timer.no_value": {
        "nb": _t("Tidtakeren «{name}» har ingen tid.",
               "Velg type (varighet, dato eller gjentakelse) og skriv verdien i anførselstegn, "
               "for eksempel \"P14D\" for 14 dager."),
        "nn": _t("Tidtakaren «{name}» har inga tid.",
               "Vel type (varigheit, dato eller gjentaking) og skriv verdien i hermeteikn, til "
               "dømes \"P14D\" for 14 dagar."),
        "en": _t("The timer '{name}' has no time.",
               "Choose a type (duration, date or cycle) and write the value in quotes, e.g. "
               "\"P14D\" for 14 days."),
    },
    "timer.empty": {
        "nb": _t("Tidtakeren «{name}» har en tom verdi ({kind}).",
               "Skriv verdien i anførselstegn, for eksempel \"P14D\" for 14 dager."),
        "nn": _t("Tidtakaren «{name}» har ein tom verdi ({kind}).",
               "Skriv verdien i hermeteikn, til dømes \"P14D\" for 14 dagar."),
        "en": _t("The timer '{name}' has an empty value ({kind}).",
               "Write the value in quotes, e.g. \"P14D\" for 14 days."),
    },
    "timer.not_expression": {
        "nb": _t("Verdien {value} i tidtakeren «{name}» ({kind}) må stå i anførselstegn.",
               "Skriv \"{suggestion}\" – med anførselstegn."),
        "nn": _t("Verdien {value} i tidtakaren «{name}» ({kind}) må stå i hermeteikn.",
               "Skriv \"{suggestion}\" – med hermeteikn."),
        "en": _t("The value {value} in the timer '{name}' ({kind}) must be in quotes.",
               "Write \"{suggestion}\" – with the quotes."),
    },
    "timer.refused": {
        "nb": _t("Uttrykket i tidtakeren «{name}» er ikke tillatt: {reason}.",
               "Skriv en ISO 8601-verdi i anførselstegn, for eksempel \"P1M\", eller navnet på "
               "et skjemafelt som har verdien."),
        "nn": _t("Uttrykket i tidtakaren «{name}» er ikkje lov: {reason}.",
               "Skriv ein ISO 8601-verdi i hermeteikn, til dømes \"P1M\", eller namnet på eit "
               "skjemafelt som har verdien."),
        "en": _t("The expression in the timer '{name}' is not allowed: {reason}.",
               "Write an ISO 8601 value in quotes, e.g. \"P1M\", or the name of a form field "
               "that holds the value."),
    },
    "timer.not_text": {
        "nb": _t("Tidtakeren «{name}» ({kind}) har verdien {value}, som ikke er en tekst.",
               "Skriv en ISO 8601-verdi i anførselstegn, for eksempel \"P14D\"."),
        "nn": _t("Tidtakaren «{name}» ({kind}) har verdien {value}, som ikkje er ein tekst.",
               "Skriv ein ISO 8601-verdi i hermeteikn, til dømes \"P14D\"."),
        "en": _t("The timer '{name}' ({kind}) has the value {value}, which is not a text.",
               "Write an ISO 8601 value in quotes, e.g. \"P14D\"."),
    },
    "timer.invalid_iso": {
        "nb": _t("«{value}» i tidtakeren «{name}» ({kind}) er ikke en gyldig ISO 8601-verdi.",
               "Bruk for eksempel \"P14D\" (14 dager), \"P1M\" (én måned) eller "
               "\"2030-01-15T09:00:00\" (et tidspunkt)."),
        "nn": _t("«{value}» i tidtakaren «{name}» ({kind}) er ikkje ein gyldig ISO 8601-verdi.",
               "Bruk til dømes \"P14D\" (14 dagar), \"P1M\" (éin månad) eller "
               "\"2030-01-15T09:00:00\" (eit tidspunkt)."),
        "en": _t("'{value}' in the timer '{name}' ({kind}) is not a valid ISO 8601 value.",
               "Use e.g. \"P14D\" (14 days), \"P1M\" (one month) or \"2030-01-15T09:00:00\" (a "
               "point in time)."),
    },
    # --- structure -----------------------------------------------------------------------------
    "flow.unknown_source": {
        "nb": _t("Pilen «{name}» går ut fra «{ref}», som ikke finnes i diagrammet.",
               "Slett pilen og tegn den på nytt mellom to elementer."),
        "nn": _t("Pila «{name}» går ut frå «{ref}», som ikkje finst i diagrammet.",
               "Slett pila og teikn henne på nytt mellom to element."),
        "en": _t("The arrow '{name}' starts at '{ref}', which is not in the diagram.",
               "Delete the arrow and draw it again between two elements."),
    },
    "flow.unknown_target": {
        "nb": _t("Pilen «{name}» peker på «{ref}», som ikke finnes i diagrammet.",
               "Slett pilen og tegn den på nytt mellom to elementer."),
        "nn": _t("Pila «{name}» peikar på «{ref}», som ikkje finst i diagrammet.",
               "Slett pila og teikn henne på nytt mellom to element."),
        "en": _t("The arrow '{name}' points to '{ref}', which is not in the diagram.",
               "Delete the arrow and draw it again between two elements."),
    },
    "boundary.unknown_host": {
        "nb": _t("Grensehendelsen «{name}» er festet til «{ref}», som ikke finnes.",
               "Slett hendelsen og legg den på nytt på kanten av oppgaven den hører til."),
        "nn": _t("Grensehendinga «{name}» er festa til «{ref}», som ikkje finst.",
               "Slett hendinga og legg henne på nytt på kanten av oppgåva ho høyrer til."),
        "en": _t("The boundary event '{name}' is attached to '{ref}', which does not exist.",
               "Delete the event and place it again on the edge of the task it belongs to."),
    },
    "element.unreachable": {
        "nb": _t("Ingen sak kan komme til «{name}»: det går ingen vei dit fra start.",
               "Tegn en pil inn til elementet fra der det hører hjemme i flyten, eller slett det."),
        "nn": _t("Inga sak kan kome til «{name}»: det går ingen veg dit frå start.",
               "Teikn ei pil inn til elementet frå der det høyrer heime i flyten, eller slett det."),
        "en": _t("No case can get to '{name}': there is no way there from the start.",
               "Draw an arrow into the element from where it belongs in the flow, or delete it."),
    },
    "gateway.no_default": {
        "nb": _t("Forgreiningen «{name}» har ingen standardvei. En sak som ikke passer med noen "
               "av betingelsene, blir stående fast her.",
               "Velg pilen saken skal følge når ingen betingelse stemmer, og merk den som "
               "standardvei (Default flow). Finnes ingen slik pil, tegn en."),
        "nn": _t("Forgreininga «{name}» har ingen standardveg. Ei sak som ikkje passar med nokon "
               "av vilkåra, blir ståande fast her.",
               "Vel pila saka skal følgje når ikkje noko vilkår stemmer, og merk henne som "
               "standardveg (Default flow). Finst inga slik pil, teikn ei."),
        "en": _t("The gateway '{name}' has no default flow. A case that matches none of the "
               "conditions gets stuck here.",
               "Choose the arrow a case should follow when no condition holds and mark it as "
               "the default flow. If there is no such arrow, draw one."),
    },
    "gateway.flow_without_condition": {
        "nb": _t("Pilen «{flow}» ut fra forgreiningen «{name}» har ingen betingelse og er ikke "
               "standardvei.",
               "Skriv en betingelse på pilen, for eksempel godkjent == True, eller merk den som "
               "standardvei (Default flow). En forgreining kan ha bare én standardvei."),
        "nn": _t("Pila «{flow}» ut frå forgreininga «{name}» har ikkje noko vilkår og er ikkje "
               "standardveg.",
               "Skriv eit vilkår på pila, til dømes godkjent == True, eller merk henne som "
               "standardveg (Default flow). Ei forgreining kan ha berre éin standardveg."),
        "en": _t("The arrow '{flow}' out of the gateway '{name}' has no condition and is not the "
               "default flow.",
               "Write a condition on the arrow, e.g. godkjent == True, or mark it as the default "
               "flow. A gateway has at most one default flow."),
    },
    "gateway.default_not_outgoing": {
        "nb": _t("Forgreiningen «{name}» har «{flow}» som standardvei, men den pilen går ikke ut "
               "fra forgreiningen.",
               "Merk en av pilene som går ut fra forgreiningen, som standardvei (Default flow)."),
        "nn": _t("Forgreininga «{name}» har «{flow}» som standardveg, men den pila går ikkje ut "
               "frå forgreininga.",
               "Merk ei av pilene som går ut frå forgreininga, som standardveg (Default flow)."),
        "en": _t("The gateway '{name}' has '{flow}' as its default flow, but that arrow does not "
               "leave the gateway.",
               "Mark one of the arrows leaving the gateway as the default flow."),
    },
    "process.end_never_reached": {
        "nb": _t("Ingen sak kan bli ferdig i «{name}»: ingen slutthendelse kan nås fra start.",
               "Legg til en slutthendelse og tegn piler fram til den. Har flyten en løkke, må en "
               "forgreining i løkken ha en vei ut."),
        "nn": _t("Inga sak kan bli ferdig i «{name}»: ingen slutthending kan nåast frå start.",
               "Legg til ei slutthending og teikn piler fram til henne. Har flyten ei løkke, må "
               "ei forgreining i løkka ha ein veg ut."),
        "en": _t("No case can finish in '{name}': no end event can be reached from the start.",
               "Add an end event and draw arrows to it. If the flow has a loop, a gateway in "
               "the loop needs a way out."),
    },
    "flow.no_exit": {
        "nb": _t("En sak som kommer til «{name}», når aldri en slutthendelse: den går i ring uten "
               "vei ut.",
               "Legg inn en forgreining i løkken med en betingelse som fører videre mot en "
               "slutthendelse."),
        "nn": _t("Ei sak som kjem til «{name}», når aldri ei slutthending: ho går i ring utan "
               "veg ut.",
               "Legg inn ei forgreining i løkka med eit vilkår som fører vidare mot ei slutthending."),
        "en": _t("A case that gets to '{name}' never reaches an end event: it goes round in a "
               "loop with no way out.",
               "Add a gateway in the loop with a condition that leads on towards an end event."),
    },
}

# The sandbox says why it refuses code in English (engine/sandbox.py); these are its sentences
# in Norwegian. A reason not listed here is shown as it is.
_REASONS: list[tuple[re.Pattern[str], dict[str, str]]] = [
    (re.compile(p), t) for p, t in [
        (r"imports are not allowed in diagram code",
         {"nb": "import er ikke tillatt", "nn": "import er ikkje lov"}),
        (r"while loops are not allowed in diagram code",
         {"nb": "while-løkker er ikke tillatt", "nn": "while-løkker er ikkje lov"}),
        (r"defining functions or classes is not allowed in diagram code",
         {"nb": "å definere funksjoner eller klasser er ikke tillatt",
          "nn": "å definere funksjonar eller klassar er ikkje lov"}),
        (r"global/nonlocal is not allowed in diagram code",
         {"nb": "global/nonlocal er ikke tillatt", "nn": "global/nonlocal er ikkje lov"}),
        (r"'(?P<x>[^']+)' is not allowed in diagram code",
         {"nb": "«{x}» er ikke tillatt", "nn": "«{x}» er ikkje lov"}),
        (r"names starting with '_' are not allowed \('(?P<x>[^']*)'\)",
         {"nb": "navn som starter med _ er ikke tillatt («{x}»)",
          "nn": "namn som startar med _ er ikkje lov («{x}»)"}),
        (r"attributes starting with '_' are not allowed \('(?P<x>[^']*)'\)",
         {"nb": "egenskaper som starter med _ er ikke tillatt («{x}»)",
          "nn": "eigenskapar som startar med _ er ikkje lov («{x}»)"}),
        (r"'\*\*' needs a constant exponent of at most (?P<x>\d+)",
         {"nb": "** krever en fast eksponent på høyst {x}",
          "nn": "** krev ein fast eksponent på høgst {x}"}),
        (r"the expression is not text",
         {"nb": "uttrykket er ikke tekst", "nn": "uttrykket er ikkje tekst"}),
        (r"the code is longer than (?P<x>\d+) characters",
         {"nb": "koden er lengre enn {x} tegn", "nn": "koden er lengre enn {x} teikn"}),
        (r"syntax error: (?P<x>.*) \(line (?P<line>\S+), column (?P<col>\S+)\)",
         {"nb": "skrivefeil: {x} (linje {line}, kolonne {col})",
          "nn": "skrivefeil: {x} (linje {line}, kolonne {col})"}),
    ]
]


def placeholders(text: str) -> set[str]:
    """The `{name}` placeholders in a catalog text."""
    return set(PLACEHOLDER.findall(text))


def _fill(text: str, values: Mapping[str, str]) -> str:
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def _reason(text: str, lang: str) -> str:
    if lang == "en":
        return text
    parts = []
    for part in text.split("; "):
        for pattern, texts in _REASONS:
            match = pattern.fullmatch(part)
            if match:
                part = _fill(texts[lang], match.groupdict())
                break
        parts.append(part)
    return "; ".join(parts)


def _fields(problem: Problem | Mapping[str, Any]) -> tuple[str | None, dict[str, str], str]:
    if isinstance(problem, Problem):
        return problem.code, dict(problem.params), problem.message
    params = problem.get("params") or {}
    return (problem.get("code"), {str(k): str(v) for k, v in params.items()},
            str(problem.get("message") or ""))


def describe(problem: Problem | Mapping[str, Any], lang: str) -> tuple[str, str]:
    """(what is wrong, what to do) for one problem in `lang` (nb, nn or en; else nb).

    Without a known code, or when the problem lacks a value its text needs, the answer is the
    engine's English message with a general instruction in `lang`.
    """
    lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    code, params, message = _fields(problem)
    texts = CATALOG.get(code or "")
    if texts is None:
        return message, GENERIC_ACTION[lang]
    what, action = texts[lang]
    if not (placeholders(what) | placeholders(action)) <= set(params):
        return message, GENERIC_ACTION[lang]
    values = {k: (_reason(v, lang) if k == "reason" else v) for k, v in params.items()}
    for key in ("detail", "reason"):  # the texts end these sentences themselves
        if key in values:
            values[key] = values[key].rstrip(" .")
    values = {k: v or "–" for k, v in values.items()}
    return _fill(what, values), _fill(action, values)


def describe_all(problems: Iterable[Problem | Mapping[str, Any]], lang: str) -> list[dict[str, Any]]:
    """The problems as the web page and its JSON show them: where, which code, what, what to do."""
    out = []
    for problem in problems:
        if isinstance(problem, Problem):
            file, element_id, code = problem.file, problem.element_id, problem.code
        else:
            file, element_id, code = (problem.get("file"), problem.get("element_id"),
                                      problem.get("code"))
        message, action = describe(problem, lang)
        out.append({"file": file, "element_id": element_id, "code": code, "message": message,
                    "action": action})
    return out
