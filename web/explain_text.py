"""Texts for the explanations of uploaded BPMN/DMN files (engine/explain.py), in nb, nn and en.

A plain dict rather than the gettext catalogs: the engine hands out codes with parameters, and
each text here is written for a process owner in a kommune: what the element is or does in the
tool the file came from, and what to do in Koordinator. The tests check that every code the
engine can produce has all three texts with exactly the engine's parameters.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

LANGUAGES = ("nb", "nn", "en")
DEFAULT_LANGUAGE = "nb"

STATUS_TEXT: dict[str, dict[str, str]] = {
    "runs": {"nb": "Kjører", "nn": "Køyrer", "en": "Runs"},
    "needs_change": {"nb": "Må endres", "nn": "Må endrast", "en": "Needs a change"},
    "ignored": {"nb": "Blir ikke brukt", "nn": "Blir ikkje brukt", "en": "Ignored"},
    "unsupported": {"nb": "Kan ikke kjøres", "nn": "Kan ikkje køyrast", "en": "Cannot run"},
}

CATALOG: dict[str, dict[str, str]] = {
    # --- the file as a whole ---
    "xml.unsafe": {
        "nb": "Filen kan ikke leses: {message}. Lagre diagrammet på nytt i modelleringsverktøyet "
              "og last det opp igjen.",
        "nn": "Fila kan ikkje lesast: {message}. Lagre diagrammet på nytt i modelleringsverktøyet "
              "og last det opp att.",
        "en": "The file cannot be read: {message}. Save the diagram again in the modelling tool "
              "and upload it again.",
    },
    "bpmn.not_bpmn": {
        "nb": "Filen er XML, men ikke et BPMN-diagram eller en DMN-tabell (den er «{root}»). "
              "Last opp .bpmn- eller .dmn-filen.",
        "nn": "Fila er XML, men ikkje eit BPMN-diagram eller ein DMN-tabell (ho er «{root}»). "
              "Last opp .bpmn- eller .dmn-fila.",
        "en": "The file is XML but not a BPMN diagram or DMN table (it is '{root}'). Upload the "
              ".bpmn or .dmn file.",
    },
    "bpmn.missing_namespace": {
        "nb": "Filen ser ut som et BPMN-diagram, men mangler BPMN-navnerommet, så ingen verktøy "
              "kan lese den. Eksporter diagrammet på nytt som BPMN 2.0.",
        "nn": "Fila ser ut som eit BPMN-diagram, men manglar BPMN-namnerommet, så ingen verktøy "
              "kan lese henne. Eksporter diagrammet på nytt som BPMN 2.0.",
        "en": "The file looks like a BPMN diagram but lacks the BPMN namespace, so no tool can "
              "read it. Export the diagram again as BPMN 2.0.",
    },
    "bpmn.duplicate_ids": {
        "nb": "Flere elementer har samme id ({ids}). Hvert element må ha sin egen id: gi dem nye "
              "id-er i modelleringsverktøyet.",
        "nn": "Fleire element har same id ({ids}). Kvart element må ha sin eigen id: gi dei nye "
              "id-ar i modelleringsverktøyet.",
        "en": "Several elements share an id ({ids}). Each element needs its own id: give them "
              "new ids in the modelling tool.",
    },
    "bpmn.no_process": {
        "nb": "Diagrammet har ingen prosess å kjøre. Tegn prosessen med start, oppgaver og slutt.",
        "nn": "Diagrammet har ingen prosess å køyre. Teikn prosessen med start, oppgåver og slutt.",
        "en": "The diagram has no process to run. Draw the process with a start, tasks and an "
              "end.",
    },
    "file.collaboration_only": {
        "nb": "Diagrammet viser bare hvem som samarbeider (pooler og meldinger), ikke hva som "
              "skjer steg for steg. Det kan vises, men ikke kjøres. Tegn stegene inne i poolen "
              "til kommunen.",
        "nn": "Diagrammet viser berre kven som samarbeider (poolar og meldingar), ikkje kva som "
              "skjer steg for steg. Det kan visast, men ikkje køyrast. Teikn stega inne i poolen "
              "til kommunen.",
        "en": "The diagram only shows who collaborates (pools and messages), not what happens "
              "step by step. It can be shown but not run. Draw the steps inside the kommune's "
              "pool.",
    },
    "file.choreography_only": {
        "nb": "Diagrammet er en koreografi (utveksling mellom parter). Koordinator kan vise det, "
              "men ikke kjøre det. Tegn en vanlig prosess for kommunens del av arbeidet.",
        "nn": "Diagrammet er ein koreografi (utveksling mellom partar). Koordinator kan vise det, "
              "men ikkje køyre det. Teikn ein vanleg prosess for kommunen sin del av arbeidet.",
        "en": "The diagram is a choreography (exchanges between parties). Koordinator can show "
              "it but not run it. Draw an ordinary process for the kommune's part of the work.",
    },
    "process.several_entries": {
        "nb": "Filen har flere kjørbare prosesser som ingenting kaller ({processes}). Koordinator "
              "starter én prosess per sak: behold én, og kall de andre fra den eller fjern dem.",
        "nn": "Fila har fleire køyrbare prosessar som ingenting kallar ({processes}). Koordinator "
              "startar éin prosess per sak: behald éin, og kall dei andre frå han eller fjern dei.",
        "en": "The file has several executable processes that nothing calls ({processes}). "
              "Koordinator starts one process per case: keep one, and call the others from it or "
              "remove them.",
    },
    "dmn.no_decision": {
        "nb": "DMN-filen har ingen beslutning. Lag en beslutningstabell i filen.",
        "nn": "DMN-fila har inga avgjerd. Lag ein avgjerdstabell i fila.",
        "en": "The DMN file has no decision. Add a decision table to the file.",
    },
    "file.unsupported_elements": {
        "nb": "{count} elementer kan ikke kjøres i Koordinator. Filen vises skrivebeskyttet; se "
              "forklaringen ved hvert element.",
        "nn": "{count} element kan ikkje køyrast i Koordinator. Fila blir vist skriveverna; sjå "
              "forklaringa ved kvart element.",
        "en": "{count} elements cannot run in Koordinator. The file is shown read-only; see the "
              "explanation at each element.",
    },
    "file.needs_changes": {
        "nb": "{count} elementer må endres før Koordinator kan kjøre filen. Se forklaringen ved "
              "hvert element.",
        "nn": "{count} element må endrast før Koordinator kan køyre fila. Sjå forklaringa ved "
              "kvart element.",
        "en": "{count} elements need a change before Koordinator can run the file. See the "
              "explanation at each element.",
    },
    "file.explain_failed": {
        "nb": "Koordinator klarte ikke å gå gjennom filen ({error}). Meld fra til brukerstøtte "
              "og legg ved filen.",
        "nn": "Koordinator klarte ikkje å gå gjennom fila ({error}). Meld frå til brukarstøtte "
              "og legg ved fila.",
        "en": "Koordinator could not go through the file ({error}). Tell support and attach the "
              "file.",
    },
    # --- elements that run ---
    "element.runs": {
        "nb": "Koordinator kjører dette elementet som det er.",
        "nn": "Koordinator køyrer dette elementet som det er.",
        "en": "Koordinator runs this element as it is.",
    },
    "lane.role": {
        "nb": "Banen «{lane}» er en rolle i Koordinator. Oppgavene i den går til dem som har "
              "rollen.",
        "nn": "Banen «{lane}» er ei rolle i Koordinator. Oppgåvene i han går til dei som har rolla.",
        "en": "The lane '{lane}' is a role in Koordinator. Its tasks go to the staff who have "
              "that role.",
    },
    # --- processes, pools, lanes ---
    "lane.unknown_role": {
        "nb": "Banen «{lane}» forteller hvem som gjør oppgavene i den, men er ikke en rolle i "
              "Koordinator. Gi banen navnet på en rolle: Koordinerende enhet, Koordinator eller "
              "Leder.",
        "nn": "Banen «{lane}» fortel kven som gjer oppgåvene i han, men er ikkje ei rolle i "
              "Koordinator. Gi banen namnet på ei rolle: Koordinerande eining, Koordinator eller "
              "Leiar.",
        "en": "The lane '{lane}' says who does its tasks but is not a role in Koordinator. Name "
              "it after a role: Coordinating unit, Coordinator or Leader.",
    },
    "lane.not_a_role": {
        "nb": "Banen «{lane}» har ingen brukeroppgaver og er ikke en rolle i Koordinator. Den "
              "vises, men brukes ikke.",
        "nn": "Banen «{lane}» har ingen brukaroppgåver og er ikkje ei rolle i Koordinator. Han blir "
              "vist, men ikkje brukt.",
        "en": "The lane '{lane}' holds no user tasks and is not a role in Koordinator. It is "
              "shown but not used.",
    },
    "process.not_executable": {
        "nb": "«{process}» er tegnet som en beskrivelse og er ikke merket som kjørbar, så den "
              "vises skrivebeskyttet. Skal Koordinator kjøre prosessen, merk den som kjørbar og "
              "gå gjennom elementene. Er det en annen aktørs arbeid, tegn poolen tom (lukket).",
        "nn": "«{process}» er teikna som ei skildring og er ikkje merkt som køyrbar, så han "
              "blir vist skriveverna. Skal Koordinator køyre prosessen, merk han som "
              "køyrbar og gå gjennom elementa. Er det arbeidet til ein annan aktør, teikn poolen "
              "tom (lukka).",
        "en": "'{process}' is drawn as a description and is not marked executable, so it is "
              "shown read-only. For Koordinator to run the process, mark it executable and go "
              "through its elements. If it is another party's work, draw the pool empty "
              "(collapsed).",
    },
    "process.empty": {
        "nb": "Poolen «{process}» har ingen steg. Den viser en annen part og blir ikke kjørt.",
        "nn": "Poolen «{process}» har ingen steg. Han viser ein annan part og blir ikkje køyrd.",
        "en": "The pool '{process}' has no steps. It shows another party and is not run.",
    },
    "process.no_start_event": {
        "nb": "Prosessen «{process}» har ingen starthendelse, så en sak vet ikke hvor den skal "
              "begynne. Legg til en starthendelse.",
        "nn": "Prosessen «{process}» har inga starthending, så ei sak veit ikkje kvar ho skal "
              "byrje. Legg til ei starthending.",
        "en": "The process '{process}' has no start event, so a case does not know where to "
              "begin. Add a start event.",
    },
    "process.duplicate_in_bundle": {
        "nb": "Prosess-id-en til «{process}» finnes også i filen {file}. Hver prosess må ha sin "
              "egen id: gi den ene en ny id, eller fjern den filen som ikke skal være med.",
        "nn": "Prosess-id-en til «{process}» finst òg i fila {file}. Kvar prosess må ha sin eigen "
              "id: gi den eine ein ny id, eller fjern fila som ikkje skal vere med.",
        "en": "The id of process '{process}' is also used in the file {file}. Each process needs "
              "its own id: give one a new id, or remove the file that should not be included.",
    },
    "participant.black_box": {
        "nb": "Poolen «{participant}» er en annen part (lukket pool) uten steg. Den vises, men "
              "Koordinator gjør ingenting med den.",
        "nn": "Poolen «{participant}» er ein annan part (lukka pool) utan steg. Han blir vist, "
              "men Koordinator gjer ingenting med han.",
        "en": "The pool '{participant}' is another party (collapsed pool) without steps. It is "
              "shown, but Koordinator does nothing with it.",
    },
    "message_flow.ignored": {
        "nb": "Meldingsflyten viser at noe sendes mellom to parter. Koordinator sender ikke "
              "meldinger: den vises bare i tegningen.",
        "nn": "Meldingsflyten viser at noko blir sendt mellom to partar. Koordinator sender ikkje "
              "meldingar: han blir berre vist i teikninga.",
        "en": "The message flow shows something sent between two parties. Koordinator sends no "
              "messages: it is only shown in the drawing.",
    },
    "data_store.unsupported": {
        "nb": "Datalageret står for et fagsystem eller en database som prosessen leser eller "
              "skriver i. Koordinator kobler ikke til andre systemer: fjern det, og la en "
              "brukeroppgave si hva som skal gjøres i fagsystemet.",
        "nn": "Datalageret står for eit fagsystem eller ein database som prosessen les eller "
              "skriv i. Koordinator koplar ikkje til andre system: fjern det, og la ei "
              "brukaroppgåve seie kva som skal gjerast i fagsystemet.",
        "en": "The data store stands for a records system or database the process reads or "
              "writes. Koordinator does not connect to other systems: remove it, and let a user "
              "task say what to do in that system.",
    },
    "choreography.unsupported": {
        "nb": "Koreografioppgaven beskriver en utveksling mellom parter. Koordinator kjører ikke "
              "koreografier: tegn kommunens del som en vanlig prosess.",
        "nn": "Koreografioppgåva skildrar ei utveksling mellom partar. Koordinator køyrer ikkje "
              "koreografiar: teikn kommunen sin del som ein vanleg prosess.",
        "en": "The choreography task describes an exchange between parties. Koordinator does "
              "not run choreographies: draw the kommune's part as an ordinary process.",
    },
    # --- tasks ---
    "task.no_type": {
        "nb": "Oppgaven har ingen type, så den beskriver bare et steg. Gjør den om til en "
              "brukeroppgave (noen fyller ut et skjema) eller en skriptoppgave.",
        "nn": "Oppgåva har ingen type, så ho skildrar berre eit steg. Gjer henne om til ei "
              "brukaroppgåve (nokon fyller ut eit skjema) eller ei skriptoppgåve.",
        "en": "The task has no type, so it only describes a step. Turn it into a user task "
              "(someone fills in a form) or a script task.",
    },
    "user_task.no_form": {
        "nb": "Brukeroppgaven har ikke noe skjema. Velg skjemaet (formKey) i egenskapene.",
        "nn": "Brukaroppgåva har ikkje noko skjema. Vel skjemaet (formKey) i eigenskapane.",
        "en": "The user task has no form. Choose the form (formKey) in its properties.",
    },
    "user_task.camunda_form": {
        "nb": "Brukeroppgaven viser skjemaet «{form}» fra {tool}. Koordinator bruker sine egne "
              "skjemaer: velg et Koordinator-skjema (formKey) i egenskapene.",
        "nn": "Brukaroppgåva viser skjemaet «{form}» frå {tool}. Koordinator brukar sine eigne "
              "skjema: vel eit Koordinator-skjema (formKey) i eigenskapane.",
        "en": "The user task shows the form '{form}' from {tool}. Koordinator uses its own "
              "forms: choose a Koordinator form (formKey) in its properties.",
    },
    "user_task.generated_form": {
        "nb": "Brukeroppgaven har et skjema bygd i {tool} med feltene {fields}. Lag et "
              "Koordinator-skjema med de samme feltene og velg det (formKey) i egenskapene.",
        "nn": "Brukaroppgåva har eit skjema bygd i {tool} med felta {fields}. Lag eit "
              "Koordinator-skjema med dei same felta og vel det (formKey) i eigenskapane.",
        "en": "The user task has a form built in {tool} with the fields {fields}. Make a "
              "Koordinator form with the same fields and choose it (formKey) in its properties.",
    },
    "user_task.no_lane": {
        "nb": "Brukeroppgaven ligger ikke i noen bane, så ingen får den. Legg den i banen til "
              "rollen som skal gjøre den.",
        "nn": "Brukaroppgåva ligg ikkje i nokon bane, så ingen får henne. Legg henne i banen til "
              "rolla som skal gjere henne.",
        "en": "The user task is in no lane, so nobody gets it. Put it in the lane of the role "
              "that does it.",
    },
    "user_task.lane_not_role": {
        "nb": "Brukeroppgaven ligger i banen «{lane}», som ikke er en rolle i Koordinator. Gi "
              "banen navnet Koordinerende enhet, Koordinator eller Leder, eller flytt oppgaven.",
        "nn": "Brukaroppgåva ligg i banen «{lane}», som ikkje er ei rolle i Koordinator. Gi banen "
              "namnet Koordinerande eining, Koordinator eller Leiar, eller flytt oppgåva.",
        "en": "The user task is in the lane '{lane}', which is not a role in Koordinator. Name "
              "the lane Coordinating unit, Coordinator or Leader, or move the task.",
    },
    "user_task.no_stage": {
        "nb": "Brukeroppgaven hører ikke til noen fase i koordineringen. Velg fasen (for eksempel "
              "henvendelse, planarbeid eller evaluering) i egenskapene.",
        "nn": "Brukaroppgåva høyrer ikkje til nokon fase i koordineringa. Vel fasen (til dømes "
              "førespurnad, planarbeid eller evaluering) i eigenskapane.",
        "en": "The user task belongs to no stage of the coordination. Choose the stage (for "
              "example referral, planning or evaluation) in its properties.",
    },
    "user_task.unknown_stage": {
        "nb": "Fasen «{stage}» finnes ikke i Koordinator. Velg en av fasene i egenskapene.",
        "nn": "Fasen «{stage}» finst ikkje i Koordinator. Vel ein av fasane i eigenskapane.",
        "en": "The stage '{stage}' does not exist in Koordinator. Choose one of the stages in "
              "its properties.",
    },
    "user_task.bad_due": {
        "nb": "Fristen «{due}» er ikke en varighet Koordinator forstår. Skriv den som for "
              "eksempel P14D (14 dager) eller P1M (én måned).",
        "nn": "Fristen «{due}» er ikkje ei varigheit Koordinator forstår. Skriv han som til "
              "dømes P14D (14 dagar) eller P1M (éin månad).",
        "en": "The due period '{due}' is not a duration Koordinator understands. Write it as, "
              "for example, P14D (14 days) or P1M (one month).",
    },
    "user_task.assignee_ignored": {
        "nb": "I {tool} går oppgaven til «{assignee}». Koordinator fordeler oppgaver etter banen "
              "(rollen) oppgaven ligger i, så dette feltet blir ikke brukt.",
        "nn": "I {tool} går oppgåva til «{assignee}». Koordinator fordeler oppgåver etter banen "
              "(rolla) oppgåva ligg i, så dette feltet blir ikkje brukt.",
        "en": "In {tool} the task goes to '{assignee}'. Koordinator assigns tasks by the lane "
              "(role) they are in, so this field is not used.",
    },
    "user_task.candidates_ignored": {
        "nb": "I {tool} kan «{candidates}» ta oppgaven. Koordinator fordeler oppgaver etter banen "
              "(rollen) oppgaven ligger i, så dette feltet blir ikke brukt.",
        "nn": "I {tool} kan «{candidates}» ta oppgåva. Koordinator fordeler oppgåver etter banen "
              "(rolla) oppgåva ligg i, så dette feltet blir ikkje brukt.",
        "en": "In {tool} '{candidates}' may take the task. Koordinator assigns tasks by the lane "
              "(role) they are in, so this field is not used.",
    },
    "user_task.due_date_ignored": {
        "nb": "Fristen «{due}» er skrevet for {tool} og blir ikke brukt. Sett fristen som en "
              "varighet (dueIn, for eksempel P14D) i egenskapene.",
        "nn": "Fristen «{due}» er skriven for {tool} og blir ikkje brukt. Set fristen som ei "
              "varigheit (dueIn, til dømes P14D) i eigenskapane.",
        "en": "The due date '{due}' is written for {tool} and is not used. Set the due period "
              "as a duration (dueIn, for example P14D) in its properties.",
    },
    # --- scripts ---
    "script.not_python": {
        "nb": "Skriptet er skrevet i «{format}». Koordinator kjører bare Python-skript i en "
              "sikker sandkasse: skriv skriptet om til Python.",
        "nn": "Skriptet er skrive i «{format}». Koordinator køyrer berre Python-skript i ei "
              "trygg sandkasse: skriv skriptet om til Python.",
        "en": "The script is written in '{format}'. Koordinator only runs Python scripts in a "
              "safe sandbox: rewrite the script in Python.",
    },
    "script.external": {
        "nb": "Skriptet ligger i filen «{resource}» hos {tool}, ikke i diagrammet. Skriv "
              "skriptet i Python direkte i skriptoppgaven.",
        "nn": "Skriptet ligg i fila «{resource}» hos {tool}, ikkje i diagrammet. Skriv skriptet "
              "i Python direkte i skriptoppgåva.",
        "en": "The script is in the file '{resource}' of {tool}, not in the diagram. Write the "
              "script in Python directly in the script task.",
    },
    "script.empty": {
        "nb": "Skriptoppgaven har ikke noe skript. Skriv skriptet i Python, eller fjern oppgaven.",
        "nn": "Skriptoppgåva har ikkje noko skript. Skriv skriptet i Python, eller fjern oppgåva.",
        "en": "The script task has no script. Write the script in Python, or remove the task.",
    },
    "script.refused": {
        "nb": "Koordinator vil ikke kjøre dette skriptet: {reason}. Skript kan bare regne med "
              "opplysningene i saken, ikke hente filer, moduler eller annet utenfra.",
        "nn": "Koordinator vil ikkje køyre dette skriptet: {reason}. Skript kan berre rekne med "
              "opplysningane i saka, ikkje hente filer, modular eller anna utanfrå.",
        "en": "Koordinator will not run this script: {reason}. Scripts may only compute with "
              "the case data, not fetch files, modules or anything from outside.",
    },
    # --- service and message tasks ---
    "service_task.java_class": {
        "nb": "Tjenesteoppgaven kaller Java-klassen «{class}» i {tool}. Koordinator kjører ikke "
              "Java-kode: gjør den om til en brukeroppgave eller et skript.",
        "nn": "Tenesteoppgåva kallar Java-klassen «{class}» i {tool}. Koordinator køyrer ikkje "
              "Java-kode: gjer henne om til ei brukaroppgåve eller eit skript.",
        "en": "The service task calls the Java class '{class}' in {tool}. Koordinator does not "
              "run Java code: turn it into a user task or a script.",
    },
    "service_task.expression": {
        "nb": "Tjenesteoppgaven kjører uttrykket «{expression}» i {tool}, som kaller kode i det "
              "systemet. Koordinator kan ikke det: gjør den om til en brukeroppgave eller et "
              "skript.",
        "nn": "Tenesteoppgåva køyrer uttrykket «{expression}» i {tool}, som kallar kode i det "
              "systemet. Koordinator kan ikkje det: gjer henne om til ei brukaroppgåve eller eit "
              "skript.",
        "en": "The service task runs the expression '{expression}' in {tool}, which calls code "
              "in that system. Koordinator cannot: turn it into a user task or a script.",
    },
    "service_task.delegate_expression": {
        "nb": "Tjenesteoppgaven overlater arbeidet til «{expression}», en komponent i {tool}. "
              "Koordinator har ikke slike komponenter: gjør den om til en brukeroppgave eller et "
              "skript.",
        "nn": "Tenesteoppgåva overlèt arbeidet til «{expression}», ein komponent i {tool}. "
              "Koordinator har ikkje slike komponentar: gjer henne om til ei brukaroppgåve eller "
              "eit skript.",
        "en": "The service task hands the work to '{expression}', a component in {tool}. "
              "Koordinator has no such components: turn it into a user task or a script.",
    },
    "service_task.external": {
        "nb": "Tjenesteoppgaven venter på at et eksternt program i {tool} henter jobben "
              "«{topic}». Koordinator har ingen slike programmer: gjør den om til en "
              "brukeroppgave der noen gjør jobben og krysser av.",
        "nn": "Tenesteoppgåva ventar på at eit eksternt program i {tool} hentar jobben "
              "«{topic}». Koordinator har ingen slike program: gjer henne om til ei brukaroppgåve "
              "der nokon gjer jobben og kryssar av.",
        "en": "The service task waits for an external program of {tool} to fetch the job "
              "'{topic}'. Koordinator has no such programs: turn it into a user task where "
              "someone does the job and ticks it off.",
    },
    "service_task.connector": {
        "nb": "Tjenesteoppgaven bruker koblingen «{connector}» i {tool} (for eksempel e-post "
              "eller et nettkall). Koordinator kobler ikke til andre systemer: gjør den om til en "
              "brukeroppgave.",
        "nn": "Tenesteoppgåva brukar koplinga «{connector}» i {tool} (til dømes e-post eller eit "
              "nettkall). Koordinator koplar ikkje til andre system: gjer henne om til ei "
              "brukaroppgåve.",
        "en": "The service task uses the connector '{connector}' of {tool} (for example e-mail "
              "or a web call). Koordinator does not connect to other systems: turn it into a "
              "user task.",
    },
    "service_task.job_worker": {
        "nb": "Tjenesteoppgaven sender jobben «{type}» til et program i {tool}. Koordinator har "
              "ingen slike programmer: gjør den om til en brukeroppgave eller et skript.",
        "nn": "Tenesteoppgåva sender jobben «{type}» til eit program i {tool}. Koordinator har "
              "ingen slike program: gjer henne om til ei brukaroppgåve eller eit skript.",
        "en": "The service task sends the job '{type}' to a program of {tool}. Koordinator has "
              "no such programs: turn it into a user task or a script.",
    },
    "service_task.spiff_operator": {
        "nb": "Tjenesteoppgaven kaller tjenesten «{operator}» i en SpiffWorkflow-tjener. "
              "Koordinator kaller ikke eksterne tjenester: gjør den om til en brukeroppgave "
              "eller et skript.",
        "nn": "Tenesteoppgåva kallar tenesta «{operator}» i ein SpiffWorkflow-tenar. "
              "Koordinator kallar ikkje eksterne tenester: gjer henne om til ei brukaroppgåve eller "
              "eit skript.",
        "en": "The service task calls the service '{operator}' on a SpiffWorkflow server. "
              "Koordinator calls no external services: turn it into a user task or a script.",
    },
    "service_task.no_implementation": {
        "nb": "Tjenesteoppgaven står for noe et annet system gjør automatisk. Koordinator kobler "
              "ikke til andre systemer: gjør den om til en brukeroppgave eller et skript.",
        "nn": "Tenesteoppgåva står for noko eit anna system gjer automatisk. Koordinator koplar "
              "ikkje til andre system: gjer henne om til ei brukaroppgåve eller eit skript.",
        "en": "The service task stands for something another system does automatically. "
              "Koordinator does not connect to other systems: turn it into a user task or a "
              "script.",
    },
    "message.send_task": {
        "nb": "Sendeoppgaven sender meldingen «{message}» til en annen part. Koordinator sender "
              "ikke meldinger: gjør den om til en brukeroppgave der noen sender brevet eller "
              "e-posten.",
        "nn": "Sendeoppgåva sender meldinga «{message}» til ein annan part. Koordinator sender "
              "ikkje meldingar: gjer henne om til ei brukaroppgåve der nokon sender brevet eller "
              "e-posten.",
        "en": "The send task sends the message '{message}' to another party. Koordinator sends "
              "no messages: turn it into a user task where someone sends the letter or e-mail.",
    },
    "message.receive_task": {
        "nb": "Mottaksoppgaven venter på meldingen «{message}» fra en annen part. Koordinator tar "
              "ikke imot meldinger: gjør den om til en brukeroppgave der noen registrerer svaret.",
        "nn": "Mottaksoppgåva ventar på meldinga «{message}» frå ein annan part. Koordinator tek "
              "ikkje imot meldingar: gjer henne om til ei brukaroppgåve der nokon registrerer svaret.",
        "en": "The receive task waits for the message '{message}' from another party. "
              "Koordinator receives no messages: turn it into a user task where someone records "
              "the answer.",
    },
    # --- decisions and call activities ---
    "business_rule.camunda_decision_ref": {
        "nb": "Regeloppgaven bruker beslutningstabellen «{decision}» slik {tool} finner den. "
              "Velg beslutningstabellen (calledDecisionId) i egenskapene, og last opp DMN-filen "
              "sammen med diagrammet.",
        "nn": "Regeloppgåva brukar avgjerdstabellen «{decision}» slik {tool} finn han. Vel "
              "avgjerdstabellen (calledDecisionId) i eigenskapane, og last opp DMN-fila saman med "
              "diagrammet.",
        "en": "The business rule task uses the decision table '{decision}' the way {tool} finds "
              "it. Choose the decision table (calledDecisionId) in its properties, and upload the "
              "DMN file with the diagram.",
    },
    "business_rule.no_decision": {
        "nb": "Regeloppgaven sier ikke hvilken beslutningstabell den skal bruke. Velg "
              "beslutningstabellen (calledDecisionId) i egenskapene.",
        "nn": "Regeloppgåva seier ikkje kva avgjerdstabell ho skal bruke. Vel avgjerdstabellen "
              "(calledDecisionId) i eigenskapane.",
        "en": "The business rule task does not say which decision table to use. Choose the "
              "decision table (calledDecisionId) in its properties.",
    },
    "business_rule.decision_missing": {
        "nb": "Beslutningstabellen «{decision}» er ikke blant filene som er lastet opp. Last opp "
              "DMN-filen med den, eller velg en annen tabell.",
        "nn": "Avgjerdstabellen «{decision}» er ikkje mellom filene som er lasta opp. Last opp "
              "DMN-fila med han, eller vel ein annan tabell.",
        "en": "The decision table '{decision}' is not among the uploaded files. Upload the DMN "
              "file that holds it, or choose another table.",
    },
    "call_activity.no_target": {
        "nb": "Kallaktiviteten sier ikke hvilken prosess den skal starte. Velg prosessen "
              "(calledElement) i egenskapene.",
        "nn": "Kallaktiviteten seier ikkje kva prosess han skal starte. Vel prosessen "
              "(calledElement) i eigenskapane.",
        "en": "The call activity does not say which process to start. Choose the process "
              "(calledElement) in its properties.",
    },
    "call_activity.target_missing": {
        "nb": "Kallaktiviteten starter prosessen «{process}», som ikke er blant filene. Last opp "
              "filen med den prosessen også.",
        "nn": "Kallaktiviteten startar prosessen «{process}», som ikkje er mellom filene. Last "
              "opp fila med den prosessen òg.",
        "en": "The call activity starts the process '{process}', which is not among the files. "
              "Upload the file with that process too.",
    },
    "call_activity.global_task": {
        "nb": "Kallaktiviteten kaller den gjenbrukbare oppgaven «{target}». Koordinator kan bare "
              "kalle prosesser: tegn oppgaven direkte i prosessen.",
        "nn": "Kallaktiviteten kallar den gjenbrukbare oppgåva «{target}». Koordinator kan berre "
              "kalle prosessar: teikn oppgåva direkte i prosessen.",
        "en": "The call activity calls the reusable task '{target}'. Koordinator can only call "
              "processes: draw the task directly in the process.",
    },
    "call_activity.mapping_ignored": {
        "nb": "I {tool} velger kallaktiviteten hvilke opplysninger som sendes til og fra "
              "prosessen den starter. Koordinator gir den kalte prosessen alle opplysningene i "
              "saken, så valget blir ikke brukt.",
        "nn": "I {tool} vel kallaktiviteten kva opplysningar som blir sende til og frå prosessen "
              "han startar. Koordinator gir den kalla prosessen alle opplysningane i saka, så "
              "valet blir ikkje brukt.",
        "en": "In {tool} the call activity chooses which data go to and from the process it "
              "starts. Koordinator gives the called process all the case data, so the choice is "
              "not used.",
    },
    # --- sub-processes, loops, gateways ---
    "subprocess.start_events": {
        "nb": "Delprosessen har {count} starthendelser; den må ha nøyaktig én. Legg til eller "
              "fjern starthendelser.",
        "nn": "Delprosessen har {count} starthendingar; han må ha nøyaktig éi. Legg til eller "
              "fjern starthendingar.",
        "en": "The sub-process has {count} start events; it needs exactly one. Add or remove "
              "start events.",
    },
    "subprocess.no_end_event": {
        "nb": "Delprosessen har ingen slutthendelse. Legg til en slutthendelse.",
        "nn": "Delprosessen har inga slutthending. Legg til ei slutthending.",
        "en": "The sub-process has no end event. Add an end event.",
    },
    "subprocess.transaction_unsupported": {
        "nb": "Transaksjonen er en delprosess som skal kunne angres i sin helhet. Koordinator "
              "støtter ikke transaksjoner: bruk en vanlig delprosess.",
        "nn": "Transaksjonen er ein delprosess som skal kunne angrast i heilskap. Koordinator "
              "støttar ikkje transaksjonar: bruk ein vanleg delprosess.",
        "en": "The transaction is a sub-process meant to be undone as a whole. Koordinator does "
              "not support transactions: use an ordinary sub-process.",
    },
    "subprocess.ad_hoc_unsupported": {
        "nb": "Ad hoc-delprosessen lar oppgavene gjøres i valgfri rekkefølge. Koordinator "
              "støtter ikke dette: tegn oppgavene med en parallell forgreining.",
        "nn": "Ad hoc-delprosessen lèt oppgåvene gjerast i vilkårleg rekkjefølgje. Koordinator "
              "støttar ikkje dette: teikn oppgåvene med ei parallell forgreining.",
        "en": "The ad hoc sub-process lets its tasks be done in any order. Koordinator does not "
              "support this: draw the tasks with a parallel gateway.",
    },
    "activity.multi_instance_camunda": {
        "nb": "Aktiviteten gjentas for hvert element i «{collection}», slik {tool} skriver det. "
              "I Koordinator setter du listen (loopDataInputRef) og navnet på hvert element "
              "(inputDataItem) i egenskapene.",
        "nn": "Aktiviteten blir gjenteken for kvart element i «{collection}», slik {tool} skriv "
              "det. I Koordinator set du lista (loopDataInputRef) og namnet på kvart element "
              "(inputDataItem) i eigenskapane.",
        "en": "The activity repeats for each item of '{collection}', as {tool} writes it. In "
              "Koordinator, set the list (loopDataInputRef) and the name of each item "
              "(inputDataItem) in its properties.",
    },
    "activity.multi_instance_incomplete": {
        "nb": "Aktiviteten skal gjentas, men sier ikke hvor mange ganger. Velg enten listen den "
              "skal gjentas for (loopDataInputRef) eller et antall (loopCardinality), ikke begge.",
        "nn": "Aktiviteten skal gjentakast, men seier ikkje kor mange gonger. Vel anten lista han "
              "skal gjentakast for (loopDataInputRef) eller eit tal (loopCardinality), ikkje "
              "begge.",
        "en": "The activity is to repeat but does not say how often. Choose either the list to "
              "repeat for (loopDataInputRef) or a number (loopCardinality), not both.",
    },
    "activity.loop_unsupported": {
        "nb": "Aktiviteten er merket som en løkke som gjentas til en betingelse er oppfylt. "
              "Koordinator kjører ikke slike løkker: tegn en forgreining med en pil tilbake.",
        "nn": "Aktiviteten er merkt som ei løkke som blir gjenteken til eit vilkår er oppfylt. "
              "Koordinator køyrer ikkje slike løkker: teikn ei forgreining med ei pil tilbake.",
        "en": "The activity is marked as a loop that repeats until a condition holds. "
              "Koordinator does not run such loops: draw a gateway with a flow back.",
    },
    "gateway.event_based_unsupported": {
        "nb": "Den hendelsesbaserte forgreiningen venter på det som skjer først av flere "
              "hendelser. Koordinator støtter ikke dette: bruk en brukeroppgave med et valg og en "
              "vanlig forgreining, eventuelt med en tidtaker på oppgaven.",
        "nn": "Den hendingsbaserte forgreininga ventar på det som skjer først av fleire hendingar. "
              "Koordinator støttar ikkje dette: bruk ei brukaroppgåve med eit val og ei vanleg "
              "forgreining, eventuelt med ein tidtakar på oppgåva.",
        "en": "The event-based gateway waits for whichever of several events happens first. "
              "Koordinator does not support this: use a user task with a choice and an ordinary "
              "gateway, with a timer on the task if needed.",
    },
    "gateway.complex_unsupported": {
        "nb": "Den komplekse forgreiningen har egne regler for når den går videre. Koordinator "
              "støtter ikke dette: bruk en eksklusiv, parallell eller inkluderende forgreining.",
        "nn": "Den komplekse forgreininga har eigne reglar for når ho går vidare. Koordinator "
              "støttar ikkje dette: bruk ei eksklusiv, parallell eller inkluderande forgreining.",
        "en": "The complex gateway has its own rules for when to go on. Koordinator does not "
              "support this: use an exclusive, parallel or inclusive gateway.",
    },
    # --- events ---
    "event.message_unsupported": {
        "nb": "Hendelsen sender eller venter på meldingen «{message}» fra et annet system eller "
              "en annen part. Koordinator bruker ikke meldinger: bruk en brukeroppgave, et "
              "signal eller en vanlig start.",
        "nn": "Hendinga sender eller ventar på meldinga «{message}» frå eit anna system eller ein "
              "annan part. Koordinator brukar ikkje meldingar: bruk ei brukaroppgåve, eit signal "
              "eller ein vanleg start.",
        "en": "The event sends or waits for the message '{message}' from another system or "
              "party. Koordinator uses no messages: use a user task, a signal or a plain start.",
    },
    "event.conditional_unsupported": {
        "nb": "Hendelsen venter til en betingelse er oppfylt. Koordinator støtter ikke slike "
              "hendelser: bruk en forgreining med betingelser etter en oppgave.",
        "nn": "Hendinga ventar til eit vilkår er oppfylt. Koordinator støttar ikkje slike "
              "hendingar: bruk ei forgreining med vilkår etter ei oppgåve.",
        "en": "The event waits until a condition becomes true. Koordinator does not support such "
              "events: use a gateway with conditions after a task.",
    },
    "event.compensation_unsupported": {
        "nb": "Kompensasjonshendelsen angrer arbeid som allerede er gjort. Koordinator støtter "
              "ikke kompensasjon: tegn angringen som egne oppgaver.",
        "nn": "Kompensasjonshendinga angrar arbeid som alt er gjort. Koordinator støttar ikkje "
              "kompensasjon: teikn angringa som eigne oppgåver.",
        "en": "The compensation event undoes work already done. Koordinator does not support "
              "compensation: draw the undoing as tasks of their own.",
    },
    "event.escalation_unsupported": {
        "nb": "Eskaleringshendelsen sender saken oppover i en annen del av prosessen. Koordinator "
              "støtter ikke eskalering slik: bruk et signal.",
        "nn": "Eskaleringshendinga sender saka oppover i ein annan del av prosessen. Koordinator "
              "støttar ikkje eskalering slik: bruk eit signal.",
        "en": "The escalation event passes the case upwards to another part of the process. "
              "Koordinator does not support escalation this way: use a signal.",
    },
    "event.error_unsupported": {
        "nb": "Feilhendelsen kaster eller fanger en feil. Koordinator støtter ikke feilhendelser: "
              "tegn feilsituasjonen som en forgreining med betingelser.",
        "nn": "Feilhendinga kastar eller fangar ein feil. Koordinator støttar ikkje "
              "feilhendingar: teikn feilsituasjonen som ei forgreining med vilkår.",
        "en": "The error event throws or catches an error. Koordinator does not support error "
              "events: draw the error case as a gateway with conditions.",
    },
    "event.link_unsupported": {
        "nb": "Lenkehendelsen hopper til et annet sted i diagrammet. Koordinator støtter ikke "
              "lenker: tegn en pil dit i stedet.",
        "nn": "Lenkjehendinga hoppar til ein annan stad i diagrammet. Koordinator støttar ikkje "
              "lenkjer: teikn ei pil dit i staden.",
        "en": "The link event jumps to another place in the diagram. Koordinator does not "
              "support links: draw a flow there instead.",
    },
    "event.cancel_unsupported": {
        "nb": "Avbruddshendelsen avbryter en transaksjon. Koordinator støtter ikke transaksjoner: "
              "fjern hendelsen.",
        "nn": "Avbrotshendinga avbryt ein transaksjon. Koordinator støttar ikkje transaksjonar: "
              "fjern hendinga.",
        "en": "The cancel event cancels a transaction. Koordinator does not support "
              "transactions: remove the event.",
    },
    "event.multiple_unsupported": {
        "nb": "Hendelsen reagerer på flere ulike ting på én gang. Koordinator støtter bare "
              "tidtakere og signaler, én per hendelse: del den opp eller forenkle den.",
        "nn": "Hendinga reagerer på fleire ulike ting på ein gong. Koordinator støttar berre "
              "tidtakarar og signal, eitt per hending: del henne opp eller forenkle henne.",
        "en": "The event reacts to several different things at once. Koordinator only supports "
              "timers and signals, one per event: split or simplify it.",
    },
    "event.catch_without_trigger": {
        "nb": "Hendelsen venter, men sier ikke på hva. Gjør den til en tidtaker eller et signal, "
              "eller fjern den.",
        "nn": "Hendinga ventar, men seier ikkje på kva. Gjer henne til ein tidtakar eller eit "
              "signal, eller fjern henne.",
        "en": "The event waits but does not say for what. Make it a timer or a signal, or "
              "remove it.",
    },
    "timer.no_value": {
        "nb": "Tidtakeren sier ikke når den skal gå av. Skriv en varighet som \"P14D\", en dato "
              "eller et gjentakende intervall i egenskapene.",
        "nn": "Tidtakaren seier ikkje når han skal gå av. Skriv ei varigheit som \"P14D\", ein "
              "dato eller eit gjentakande intervall i eigenskapane.",
        "en": "The timer does not say when it goes off. Write a duration such as \"P14D\", a "
              "date or a repeating interval in its properties.",
    },
    "timer.unquoted_iso": {
        "nb": "Tidtakeren har verdien {value} uten anførselstegn. I Koordinator er verdien et "
              "Python-uttrykk: skriv \"{value}\" (med anførselstegn).",
        "nn": "Tidtakaren har verdien {value} utan hermeteikn. I Koordinator er verdien eit "
              "Python-uttrykk: skriv \"{value}\" (med hermeteikn).",
        "en": "The timer has the value {value} without quotes. In Koordinator the value is a "
              "Python expression: write \"{value}\" (with quotes).",
    },
    "timer.invalid_iso": {
        "nb": "Tidtakerverdien {value} er ikke en gyldig ISO 8601-verdi. Skriv for eksempel "
              "\"P14D\" (14 dager) eller \"2026-01-31T08:00:00\".",
        "nn": "Tidtakarverdien {value} er ikkje ein gyldig ISO 8601-verdi. Skriv til dømes "
              "\"P14D\" (14 dagar) eller \"2026-01-31T08:00:00\".",
        "en": "The timer value {value} is not a valid ISO 8601 value. Write for example "
              "\"P14D\" (14 days) or \"2026-01-31T08:00:00\".",
    },
    "timer.refused": {
        "nb": "Koordinator vil ikke regne ut tidtakeren: {reason}. Skriv en fast verdi som "
              "\"P14D\" eller et enkelt uttrykk med opplysningene i saken.",
        "nn": "Koordinator vil ikkje rekne ut tidtakaren: {reason}. Skriv ein fast verdi som "
              "\"P14D\" eller eit enkelt uttrykk med opplysningane i saka.",
        "en": "Koordinator will not compute the timer: {reason}. Write a fixed value such as "
              "\"P14D\" or a simple expression over the case data.",
    },
    # --- expressions and sequence flows ---
    "expression.juel": {
        "nb": "Uttrykket «{expression}» er skrevet i Camunda sitt språk (JUEL). Koordinator "
              "bruker enkle Python-uttrykk med skjemafeltene: skriv for eksempel "
              "godkjent == True.",
        "nn": "Uttrykket «{expression}» er skrive i språket til Camunda (JUEL). Koordinator "
              "brukar enkle Python-uttrykk med skjemafelta: skriv til dømes godkjent == True.",
        "en": "The expression '{expression}' is written in Camunda's language (JUEL). Koordinator "
              "uses simple Python expressions over the form fields: write for example "
              "godkjent == True.",
    },
    "expression.feel": {
        "nb": "Uttrykket «{expression}» er skrevet i FEEL (Camunda 8). Koordinator bruker enkle "
              "Python-uttrykk med skjemafeltene: skriv for eksempel godkjent == True.",
        "nn": "Uttrykket «{expression}» er skrive i FEEL (Camunda 8). Koordinator brukar enkle "
              "Python-uttrykk med skjemafelta: skriv til dømes godkjent == True.",
        "en": "The expression '{expression}' is written in FEEL (Camunda 8). Koordinator uses "
              "simple Python expressions over the form fields: write for example "
              "godkjent == True.",
    },
    "condition.not_python": {
        "nb": "Betingelsen er skrevet i «{language}». Koordinator forstår bare enkle "
              "Python-uttrykk med skjemafeltene: skriv betingelsen om, for eksempel "
              "godkjent == True.",
        "nn": "Vilkåret er skrive i «{language}». Koordinator forstår berre enkle Python-uttrykk "
              "med skjemafelta: skriv vilkåret om, til dømes godkjent == True.",
        "en": "The condition is written in '{language}'. Koordinator only understands simple "
              "Python expressions over the form fields: rewrite it, for example godkjent == True.",
    },
    "condition.refused": {
        "nb": "Koordinator vil ikke regne ut dette uttrykket: {reason}. Skriv et enkelt "
              "Python-uttrykk med skjemafeltene, for eksempel godkjent == True.",
        "nn": "Koordinator vil ikkje rekne ut dette uttrykket: {reason}. Skriv eit enkelt "
              "Python-uttrykk med skjemafelta, til dømes godkjent == True.",
        "en": "Koordinator will not compute this expression: {reason}. Write a simple Python "
              "expression over the form fields, for example godkjent == True.",
    },
    "flow.missing_condition": {
        "nb": "Pilen går ut av en forgreining, men har ingen betingelse, så saken vet ikke når "
              "den skal følge den. Skriv en betingelse, eller gjør pilen til standardvei.",
        "nn": "Pila går ut av ei forgreining, men har ikkje noko vilkår, så saka veit ikkje når "
              "ho skal følgje henne. Skriv eit vilkår, eller gjer pila til standardveg.",
        "en": "The flow leaves a gateway but has no condition, so the case does not know when to "
              "take it. Write a condition, or make the flow the default.",
    },
    "flow.condition_not_on_gateway": {
        "nb": "Pilen har en betingelse, men går ikke ut av en forgreining, så betingelsen blir "
              "ikke sjekket. Sett inn en eksklusiv forgreining og flytt betingelsen dit.",
        "nn": "Pila har eit vilkår, men går ikkje ut av ei forgreining, så vilkåret blir ikkje "
              "sjekka. Set inn ei eksklusiv forgreining og flytt vilkåret dit.",
        "en": "The flow has a condition but does not leave a gateway, so the condition is not "
              "checked. Insert an exclusive gateway and move the condition there.",
    },
    "flow.dangling_ref": {
        "nb": "Pilen peker på «{ref}», som ikke finnes i diagrammet. Koble pilen til et element "
              "på nytt, eller slett den.",
        "nn": "Pila peikar på «{ref}», som ikkje finst i diagrammet. Kople pila til eit element "
              "på nytt, eller slett henne.",
        "en": "The flow points to '{ref}', which does not exist in the diagram. Connect it to "
              "an element again, or delete it.",
    },
    "flow.implicit_split": {
        "nb": "Elementet har {count} utgående piler uten forgreining. Sett inn en parallell "
              "forgreining (alle veier) eller en eksklusiv forgreining (én vei) etter elementet.",
        "nn": "Elementet har {count} utgåande piler utan forgreining. Set inn ei parallell "
              "forgreining (alle vegar) eller ei eksklusiv forgreining (éin veg) etter elementet.",
        "en": "The element has {count} outgoing flows without a gateway. Insert a parallel "
              "gateway (all ways) or an exclusive gateway (one way) after the element.",
    },
    "listener.ignored": {
        "nb": "I {tool} kjører en lytter ({listener}) kode når elementet starter eller slutter. "
              "Koordinator kjører ikke slik kode: den blir hoppet over. Trengs det, bruk en "
              "skriptoppgave.",
        "nn": "I {tool} køyrer ein lyttar ({listener}) kode når elementet startar eller sluttar. "
              "Koordinator køyrer ikkje slik kode: han blir hoppa over. Trengst det, bruk ei "
              "skriptoppgåve.",
        "en": "In {tool} a listener ({listener}) runs code when the element starts or ends. "
              "Koordinator does not run such code: it is skipped. If needed, use a script task.",
    },
    "io_mapping.ignored": {
        "nb": "I {tool} flytter elementet opplysninger mellom variabler (inn- og utdata). "
              "Koordinator bruker skjemafeltene direkte, så dette blir ikke brukt.",
        "nn": "I {tool} flyttar elementet opplysningar mellom variablar (inn- og utdata). "
              "Koordinator brukar skjemafelta direkte, så dette blir ikkje brukt.",
        "en": "In {tool} the element moves data between variables (input and output mappings). "
              "Koordinator uses the form fields directly, so this is not used.",
    },
    # --- DMN ---
    "decision.no_table": {
        "nb": "Beslutningen er ikke en beslutningstabell (den er et fritt uttrykk eller en "
              "sammensatt beslutning). Koordinator kjører bare beslutningstabeller.",
        "nn": "Avgjerda er ikkje ein avgjerdstabell (ho er eit fritt uttrykk eller ei samansett "
              "avgjerd). Koordinator køyrer berre avgjerdstabellar.",
        "en": "The decision is not a decision table (it is a free expression or a composite "
              "decision). Koordinator only runs decision tables.",
    },
    "decision.extra_in_file": {
        "nb": "Koordinator leser én beslutning per DMN-fil, og dette er ikke den første i filen. "
              "Legg den i en egen DMN-fil.",
        "nn": "Koordinator les éi avgjerd per DMN-fil, og dette er ikkje den første i fila. "
              "Legg henne i ei eiga DMN-fil.",
        "en": "Koordinator reads one decision per DMN file, and this is not the first in the "
              "file. Put it in a DMN file of its own.",
    },
    "decision.input_missing": {
        "nb": "Inndata «{input}» i tabellen sier ikke hvilket felt det leser. Skriv navnet på "
              "skjemafeltet som uttrykk.",
        "nn": "Inndata «{input}» i tabellen seier ikkje kva felt det les. Skriv namnet på "
              "skjemafeltet som uttrykk.",
        "en": "The input '{input}' of the table does not say which field it reads. Write the "
              "form field's name as its expression.",
    },
    "decision.feel_input": {
        "nb": "Inndatauttrykket «{expression}» er ikke et Python-uttrykk Koordinator kan regne "
              "ut. Skriv navnet på skjemafeltet, eventuelt med en hjelpefunksjon som alder(...).",
        "nn": "Inndatauttrykket «{expression}» er ikkje eit Python-uttrykk Koordinator kan rekne "
              "ut. Skriv namnet på skjemafeltet, eventuelt med ein hjelpefunksjon som alder(...).",
        "en": "The input expression '{expression}' is not a Python expression Koordinator can "
              "compute. Write the form field's name, possibly with a helper such as alder(...).",
    },
    "decision.feel_cells": {
        "nb": "{count} celler i tabellen er skrevet i FEEL, språket til Camunda, for eksempel "
              "«{example}». Koordinator leser cellene som Python: skriv for eksempel "
              "\"tekst\", > 5 eller 1 <= ? <= 5.",
        "nn": "{count} celler i tabellen er skrivne i FEEL, språket til Camunda, til dømes "
              "«{example}». Koordinator les cellene som Python: skriv til dømes "
              "\"tekst\", > 5 eller 1 <= ? <= 5.",
        "en": "{count} cells of the table are written in FEEL, Camunda's language, for example "
              "'{example}'. Koordinator reads the cells as Python: write for example "
              "\"text\", > 5 or 1 <= ? <= 5.",
    },
    "decision.hit_policy": {
        "nb": "Tabellen bruker treffregelen «{policy}». Koordinator gir svaret fra den første "
              "regelen som passer (eller alle som passer med COLLECT, uten å summere), så svaret "
              "kan bli et annet. Bruk FIRST, UNIQUE eller COLLECT.",
        "nn": "Tabellen brukar trefferegelen «{policy}». Koordinator gir svaret frå den første "
              "regelen som passar (eller alle som passar med COLLECT, utan å summere), så svaret "
              "kan bli eit anna. Bruk FIRST, UNIQUE eller COLLECT.",
        "en": "The table uses the hit policy '{policy}'. Koordinator gives the answer of the "
              "first matching rule (or all matching ones with COLLECT, without adding up), so "
              "the answer may differ. Use FIRST, UNIQUE or COLLECT.",
    },
    "decision.duplicate_in_bundle": {
        "nb": "Beslutnings-id-en «{decision}» finnes også i filen {file}. Gi den ene tabellen en "
              "ny id, eller fjern filen som ikke skal være med.",
        "nn": "Avgjerds-id-en «{decision}» finst òg i fila {file}. Gi den eine tabellen ein ny "
              "id, eller fjern fila som ikkje skal vere med.",
        "en": "The decision id '{decision}' is also used in the file {file}. Give one of the "
              "tables a new id, or remove the file that should not be included.",
    },
}


class _Params(dict):
    """Parameters for a text; a missing one shows as an ellipsis instead of failing the page."""

    def __missing__(self, key: str) -> str:
        return "…"


_UNKNOWN = {
    "nb": "Ingen forklaring for «{code}».",
    "nn": "Inga forklaring for «{code}».",
    "en": "No explanation for '{code}'.",
}


def describe(note_or_reason_code: Any, params: Mapping[str, str] | None = None,
             lang: str = DEFAULT_LANGUAGE) -> str:
    """The text for an element note (or finding) or a code, in `lang` (nb, nn or en).

    A note brings its own parameters; `params` adds to or overrides them."""
    if isinstance(note_or_reason_code, str):
        code, merged = note_or_reason_code, dict(params or {})
    else:
        code = note_or_reason_code.code
        merged = {**note_or_reason_code.params, **(params or {})}
    lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    texts = CATALOG.get(code)
    if texts is None:
        return _UNKNOWN[lang].format(code=code)
    return texts[lang].format_map(_Params(merged))


def describe_all(note: Any, lang: str = DEFAULT_LANGUAGE) -> list[str]:
    """Every finding of an element note, the most important first."""
    return [describe(finding, None, lang) for finding in note.findings]


def status_text(status: str, lang: str = DEFAULT_LANGUAGE) -> str:
    lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    return STATUS_TEXT.get(status, {}).get(lang, status)
