"""The words that tell a reply's kind, in English, German, French, Spanish, Italian,
Portuguese, Dutch and Polish (and a few more where mail clients write them).

Every pattern is a flat alternation of fixed phrases with short bounded gaps, matched
case-insensitively on a bounded text, so none can backtrack far.
"""

from __future__ import annotations

import re

_I = re.I

# Subjects of automatic answers: "Automatic reply: …", "Abwesenheitsnotiz: …", "Absence : …".
AUTO_SUBJECT_RE = re.compile(
    r"out of (?:the )?office|automatic reply|auto[- ]?reply|autoreply|auto[- ]?response|"
    r"automated (?:reply|response)|away from (?:the )?office|on vacation|on holiday|"
    r"abwesenheitsnotiz|automatische antwort|abwesenheit|nicht im büro|"
    r"réponse automatique|reponse automatique|message d'absence|absent du bureau|"
    r"respuesta automática|respuesta automatica|fuera de la oficina|fuera de oficina|"
    r"risposta automatica|fuori sede|fuori ufficio|"
    r"resposta automática|resposta automatica|fora do escritório|ausente do escritório|"
    r"automatisch antwoord|buiten kantoor|niet op kantoor|"
    r"odpowiedź automatyczna|odpowiedz automatyczna|nieobecność w biurze|poza biurem|"
    r"autosvar|automaattinen vastaus|automatická odpověď|otomatik yanıt|"
    r"автоматический ответ|自動応答|自動返信",
    _I,
)
# A single word that is an automatic answer only as the subject's first word:
# "Absence : Re: …", "Ausente: …", "Afwezig: …", "Nieobecność: …".
AUTO_SUBJECT_WORD_RE = re.compile(
    r"(?:absence|absent|abwesend|ausente|assente|afwezig|nieobecność|nieobecny|nieobecna|"
    r"vacation|holiday|urlaub|congés|vacaciones|ferie|férias|vakantie|urlop)\b\s*(?::|$)",
    _I,
)
# Phrases of an out-of-office or automatic answer in its text.
AUTO_BODY_RE = re.compile(
    r"out of (?:the )?office|automatic reply|automated (?:reply|response|message)|"
    r"auto[- ]?reply|this is an automatic|limited access to (?:my )?e-?mail|"
    r"(?:i am|i'm|i will be|i'll be) (?:currently |now )?(?:away|on (?:annual |parental |sick )?"
    r"(?:leave|vacation|holiday)|travel(?:l)?ing|out of the country|off work)|"
    r"(?:ich bin|bin ich) (?:derzeit |zurzeit |aktuell |momentan |bis )?.{0,30}?"
    r"(?:nicht im büro|abwesend|im urlaub|außer haus|nicht erreichbar)|abwesenheitsnotiz|"
    r"automatische antwort|keinen zugriff auf (?:meine )?e-?mails|"
    r"je suis (?:actuellement |en ce moment )?(?:absente?|en congés?|en vacances|en déplacement)|"
    r"je serai (?:absente?|en congés?)|absente? du bureau|réponse automatique|"
    r"n'ai pas accès à mes (?:e-?mails|courriels|messages)|"
    r"(?:estoy|estaré) (?:fuera de la oficina|de vacaciones|ausente|fuera)|"
    r"respuesta automática|fuera de la oficina|"
    r"(?:sono|sarò) (?:fuori (?:sede|ufficio)|in ferie|assente|in vacanza)|"
    r"risposta automatica|fuori ufficio|"
    r"(?:estou|estarei) (?:fora do escritório|de férias|ausente|fora)|resposta automática|"
    r"ik ben (?:momenteel |tot en met .{0,20}|t/m .{0,20})?(?:afwezig|met vakantie|niet op kantoor|"
    r"niet aanwezig)|automatisch antwoord|"
    r"jestem (?:obecnie |aktualnie )?(?:poza biurem|na urlopie|nieobecn[ya])|"
    r"odpowiedź automatyczna|będę nieobecn[ya]",
    _I,
)
# An acknowledgement a person could also write: automatic only with a header hint.
AUTO_WEAK_RE = re.compile(
    r"thank you for (?:your|contacting)|thanks for (?:your|contacting)|we have received|"
    r"we(?:'ll| will) (?:get back|respond|reply)|vielen dank für ihre|merci pour votre|"
    r"gracias por su|grazie per la|obrigado pelo|bedankt voor uw|dziękujemy za",
    _I,
)

# A human asking to be removed.
UNSUBSCRIBE_RE = re.compile(
    r"\b(?:unsubscribe|remove (?:me|us|my (?:e-?mail|address|name|details|contact))\b|"
    r"take (?:me|us|my (?:e-?mail|address)) off\b|opt(?:-| )?(?:me )?out\b|"
    r"stop (?:e-?mailing|emailing|contacting|messaging|writing to|sending (?:me|us))|"
    r"(?:do not|don't|dont|never) (?:e-?mail|contact|write to|message) (?:me|us)\b|"
    r"no more e-?mails|delete my (?:e-?mail|address|data|details)|"
    r"abmelden|austragen|entfernen sie mich|nehmen sie mich aus|"
    r"keine (?:weiteren )?(?:e-?mails|nachrichten) mehr|schreiben sie mir nicht mehr|"
    r"löschen sie meine (?:daten|adresse|e-?mail)|"
    r"désinscri|désabonne|desinscri|desabonne|retirez-moi|supprimez-moi|"
    r"ne (?:plus )?m'(?:écrivez|envoyez|contactez) plus|ne plus (?:me )?(?:contacter|écrire)|"
    r"arrêtez de m'(?:écrire|envoyer|contacter)|"
    r"dar(?:me)? de baja|darse de baja|elimín(?:enme|ame)|quít(?:enme|ame)|"
    r"no me (?:escriban|envíen|contacten|manden) más|dejen de (?:escribirme|enviarme|contactarme)|"
    r"cancellami|cancellatemi|rimuovetemi|rimuovimi|disiscriv|"
    r"non (?:mi )?(?:scrivete|contattate|inviate) più|"
    r"smettete di (?:scrivermi|inviarmi|contattarmi)|"
    r"toglietemi|descadastr|remova-me|removam-me|cancelar (?:a )?(?:minha )?inscrição|"
    r"não me (?:enviem|mandem|contactem|contatem) mais|"
    r"parem de (?:me )?(?:enviar|mandar|contactar)|"
    r"uitschrijven|afmelden|verwijder (?:mij|me|mijn)|haal (?:mij|me) (?:van|uit)|"
    r"stuur (?:mij|me) geen .{0,20}meer|niet meer (?:mailen|e-?mailen|benaderen)|"
    r"wypisz(?:cie)? mnie|wypisać|usuń(?:cie)? mnie|proszę (?:mnie )?usunąć|"
    r"nie (?:piszcie|wysyłajcie|pisać) (?:do mnie )?(?:więcej|już)|rezygnuj)",
    _I,
)
# Words just before a removal phrase that turn it around ("I don't want to unsubscribe").
NEGATION_RE = re.compile(
    r"(?:\bnot|n't|\bnever|\bno need|\bnicht|\bkein\w*|\bne\b|\bpas\b|\bno\b|\bnon\b|\bnão\b|"
    r"\bniet\b|\bgeen\b|\bnie\b)[^.,;!?\n]{0,20}$",
    _I,
)

# Bounce subjects from mailer daemons.
BOUNCE_SUBJECT_RE = re.compile(
    r"undeliver|undelivered mail|delivery status notification|delivery failure|"
    r"mail delivery failed|delivery has failed|returned mail|failure notice|"
    r"could not be delivered|message not delivered|delivery incomplete|"
    r"unzustellbar|nicht zustellbar|non remis|non distribuable|no se puede entregar|"
    r"no entregado|non recapitabile|impossibile recapitare|não é possível entregar|"
    r"não entregue|onbestelbaar|niet afgeleverd|niedostarczalne|nie można dostarczyć",
    _I,
)
