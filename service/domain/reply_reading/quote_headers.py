"""Where quoted history starts: the lines mail clients put above a quote, in 16+ languages.

Three shapes, each tested on one short line (or a few joined) so the cost per line is small
and bounded whatever comes in:
- an attribution ending in "wrote:" or its translation ("Am … schrieb …:", "Le … a écrit :",
  "… написал(а):", "…に…が書きました：") or in "<address>:" after a date (Gmail in Russian,
  Japanese and others names no verb). Gmail wraps it over two or three lines, so up to three
  lines are joined. Above `>` lines it ends a quote header; alone it needs a date or an
  address, else a prospect's "here is what Tom wrote:" would end their own text.
- a block of header lines, "From:/Sent:/To:/Subject:" and their translations (Outlook,
  Outlook for Mac, Gmail's forwards; French puts a space before the colon). Everything after
  it is history: those clients do not prefix the quote with `>`.
- a separator: "-----Original Message-----", "---------- Forwarded message ---------",
  "Begin forwarded message:" and their translations, or a dashed/underlined line right
  above such a header block.
"""

from __future__ import annotations

import re

MAX_HEADER = 400  # characters of an attribution (joined lines); longer is prose
MAX_JOINED = 3  # lines Gmail and Thunderbird wrap an attribution over

WROTE_VERBS = (
    r"wrote|writes|geschrieben|a [ée]crit|[ée]crit|escribi[óo]|ha escrito|ha scritto|scrisse|"
    r"escreveu|escribiu|schreef het volgende|geschreven|pisze|napisa[łl](?:a|\(a\))?|"
    r"nades[łl]a[łl]|написал(?:а|\(а\))?|пишет|kirjoitti|napsal(?:a|\(a\))?|yazd[ıi]|"
    r"が書きました|書きました|のメッセージ|のメール|写道|寫道|írta|έγραψε|a scris"
)
NAMED_VERBS = r"schrieb|skrev|schreef"  # a name may follow: "schrieb Anna Schmidt:", "skrev Per:"
WROTE_END_RE = re.compile(
    rf"(?:(?:{WROTE_VERBS})|(?:{NAMED_VERBS})(?:\s.{{1,80}})?)\s*[:：]$", re.I
)
WROTE_BARE_RE = re.compile(rf"(?:{WROTE_VERBS})$", re.I)
OLD_GMAIL_RE = re.compile(r"\d{4}[/-]\d{1,2}[/-]\d{1,2}\b.{1,200}<[^<>\s]{1,100}@[^<>\s]{1,200}>$")
WRAPPED_END_RE = re.compile(r">\)?\s*[:：]$")
# Gmail in locales without a verb: "пт, 5 янв. 2024 г. в 10:00, Anna <anna@x.example>:".
ADDRESS_END_RE = re.compile(r"@[^\s@]{1,100}>?\)?\s*[:：]$")
DATE_RE = re.compile(r"\d{1,4}[./\-年]\s?\d{1,2}|\d{1,2}[:.h]\d{2}|\d{1,2}\.? [^\W\d_]{3}|\d{4}")
# How a wrapped attribution starts: a lead word, a date, or a weekday before a date.
LEAD_RE = re.compile(
    r"(?:On|Am|Le|El|Il(?: giorno)?|Em|Op|W dniu|Dnia|Den|På|Dne|Vào)\s|\d|[^\W\d_]{1,4}\.?,?\s+\d",
    re.I,
)

FROM_KEYS = {
    "from", "von", "de", "da", "van", "od", "от", "från", "fra", "lähettäjä", "kimden",
    "差出人", "发件人", "寄件者", "feladó", "absender", "expéditeur", "remitente", "mittente",
    "remetente", "afzender", "nadawca", "отправитель", "avsändare", "afsender", "avsender",
    "odesílatel", "gönderen", "送信者",
}  # fmt: skip
OTHER_KEYS = {
    "sent", "date", "to", "subject", "cc", "bcc", "reply-to", "gesendet", "datum", "an",
    "betreff", "envoyé", "envoye", "à", "a", "objet", "enviado", "enviada", "para",
    "asunto", "fecha", "inviato", "oggetto", "data", "enviada em", "enviado em", "assunto",
    "verzonden", "aan", "onderwerp", "wysłano", "wysłane", "do", "temat", "dw", "отправлено",
    "кому", "тема", "дата", "копия", "skickat", "till", "ämne", "kopia", "sendt", "til",
    "emne", "dato", "kopi", "lähetetty", "vastaanottaja", "aihe", "päivämäärä", "kopio",
    "odesláno", "komu", "předmět", "kopie", "gönderildi", "gönderilme", "kime", "konu",
    "tarih", "bilgi", "送信日時", "宛先", "件名", "日付", "发送时间", "收件人", "主题", "抄送",
    "címzett", "tárgy", "elküldve", "dátum", "envoyé le", "sujet", "copie à", "copie",
    "enviado el", "inviato il", "verzonden op", "gesendet am", "skickat den",
}  # fmt: skip
BANNER_RE = re.compile(
    r"\W{0,3}(?:caution|warning|external|attention|notice|achtung|vorsicht|attenzione)\b"
    r".{0,60}(?:originated|outside|external sender|extern)",
    re.I,
)
KNOWN_KEYS = FROM_KEYS | OTHER_KEYS
KEY_RE = re.compile(r"\s*\*{0,2}\s*([^\W\d_][\w .'-]{0,18}?)\s*\*{0,2}\s*[:：]")

SEPARATOR_PHRASES = (
    r"original message|reply message|forwarded message|forwarded|original|"
    r"ursprüngliche nachricht|weitergeleitete nachricht|message d'origine|message transféré|"
    r"message original|mensaje original|mensaje reenviado|messaggio originale|"
    r"messaggio inoltrato|mensagem original|mensagem encaminhada|mensagem reencaminhada|"
    r"oorspronkelijk bericht|doorgestuurd bericht|origineel bericht|wiadomość oryginalna|"
    r"oryginalna wiadomość|wiadomość przekazana dalej|przekazana wiadomość|"
    r"исходное сообщение|пересылаемое сообщение|пересланное сообщение|"
    r"ursprungligt meddelande|vidarebefordrat meddelande|oprindelig meddelelse|"
    r"videresendt meddelelse|opprinnelig melding|videresendt melding|alkuperäinen viesti|"
    r"välitetty viesti|původní zpráva|přeposlaná zpráva|özgün ileti|orijinal mesaj|"
    r"iletilen mesaj|元のメッセージ|転送されたメッセージ|原始邮件|转发的邮件"
)
SEPARATOR_RE = re.compile(rf"[-_=*]{{2,}}[ \t]*(?:{SEPARATOR_PHRASES})[ \t]*:?[ \t]*[-_=*]*$", re.I)
FORWARD_RE = re.compile(
    r"(?:begin forwarded message|anfang der weitergeleiteten nachricht|"
    r"début du message (?:réexpédié|transféré)|inicio del mensaje reenviado|"
    r"inizio messaggio inoltrato|início da mensagem (?:re)?encaminhada|"
    r"begin doorgestuurd bericht|początek przekazanej wiadomości|"
    r"начало переадресованного сообщения|vidarebefordrat brev|"
    r"start på videresendt (?:besked|melding)|"
    r"välitetty viesti alkaa|začátek přeposlané zprávy|iletilen mesajın başlangıcı)[ \t]*[:：]?$",
    re.I,
)
RULE_RE = re.compile(r"[-_=*]{2,}[ \t]*[^-_=*]{0,60}?[ \t]*[-_=*]{2,}$|_{10,}$")
# "Original Message" with no dashes (BlackBerry), above a header block.
BARE_SEPARATOR_RE = re.compile(rf"(?:{SEPARATOR_PHRASES})\s*:?$", re.I)
# Zoho and Android: "---- On Tue, … Anna <anna@x.example> wrote ----".
DASHED_WROTE_RE = re.compile(
    rf"[-=]{{2,}}.{{0,300}}(?:{WROTE_VERBS}|{NAMED_VERBS}).{{0,100}}[-=]{{2,}}$", re.I
)


def is_quoted(stripped: str) -> bool:
    return stripped.startswith(">")


def is_banner(stripped: str) -> bool:
    """A mail server's warning line ("CAUTION: This email originated from outside …")."""
    return len(stripped) <= 400 and BANNER_RE.match(stripped) is not None


def _key(line: str) -> str | None:
    """The lower-case key of a "Key: value" line, known or not; None for other lines."""
    m = KEY_RE.match(line)
    return m.group(1).strip().lower() if m else None


def _next_lines(lines: list[str], i: int, count: int) -> list[int]:
    """Indexes of the next `count` non-blank lines after line i (single blank lines skipped)."""
    found: list[int] = []
    blanks = 0
    for j in range(i + 1, min(len(lines), i + 1 + 2 * count)):
        if not lines[j].strip():
            blanks += 1
            if blanks > 1:
                break
            continue
        blanks = 0
        found.append(j)
        if len(found) == count:
            break
    return found


def header_block_span(lines: list[str], i: int) -> int:
    """Lines of the From:/Sent:/To:/Subject: block starting at line i (0: none there).

    Two or more such lines, one a sender, and three keys or an address or a date ("From:
    the blog / To: the hub" is prose). Up to two lines inside may be a wrapped value or a
    key we do not know ("Copie à :")."""
    first = _key(lines[i])
    if first is None or (first not in KNOWN_KEYS and not DATE_RE.search(lines[i])):
        return 0
    known = {first} & KNOWN_KEYS
    values, loose, end = [lines[i]], 0, i
    for j in _next_lines(lines, i, 6):
        key = _key(lines[j])
        if key in KNOWN_KEYS:
            known.add(key)
            values.append(lines[j])
            end = j
        elif len(known) >= 2 or loose == 2:
            break
        else:
            loose += 1
    if len(known) < 2 or not known & FROM_KEYS or not known - FROM_KEYS:
        return 0
    sure = len(known) >= 3 or any("@" in v or DATE_RE.search(v) for v in values)
    return end - i + 1 if sure else 0


def separator_at(lines: list[str], i: int) -> bool:
    """Line i is "-----Original Message-----", a forward marker, or a rule above a header."""
    stripped = lines[i].strip()
    if SEPARATOR_RE.match(stripped) or FORWARD_RE.match(stripped):
        return True
    if len(stripped) <= MAX_HEADER and DASHED_WROTE_RE.match(stripped):
        return True
    if RULE_RE.match(stripped) or BARE_SEPARATOR_RE.match(stripped):
        after = _next_lines(lines, i, 1)
        return bool(after) and header_block_span(lines, after[0]) > 0
    return False


def history_starts(lines: list[str], i: int) -> bool:
    """Everything from line i on is history (Outlook-style, no `>` in front)."""
    return header_block_span(lines, i) > 0 or separator_at(lines, i)


def _attribution(candidate: str) -> bool:
    if len(candidate) > MAX_HEADER:
        return False
    if WROTE_END_RE.search(candidate):
        return True
    return bool(ADDRESS_END_RE.search(candidate)) and bool(DATE_RE.search(candidate))


def _sure(candidate: str) -> bool:
    return "@" in candidate or bool(DATE_RE.search(candidate))


def attribution_span(lines: list[str], i: int) -> tuple[int, bool]:
    """(lines the attribution at line i takes, whether it is sure without a quote below).

    (0, False) when line i starts none. Sure means it names a date or an address. Without
    its colon ("On Wed, 14 Nov 2018 08:14 John <j@x.example> wrote") it must be sure and
    start like an attribution.
    """
    joined = ""
    for k in range(MAX_JOINED):
        if i + k >= len(lines):
            break
        part = lines[i + k].strip()
        wrapped_end = k > 0 and WRAPPED_END_RE.match(part) is not None  # Gmail's "<addr\n>:"
        if not part or (is_quoted(part) and not wrapped_end) or len(part) > MAX_HEADER:
            break
        if k == 1 and not LEAD_RE.match(joined):
            break  # only a line that starts like an attribution is joined to the next
        joined = f"{joined}{part}" if wrapped_end else f"{joined} {part}" if joined else part
        if joined.endswith((":", "：")) and _attribution(joined):
            return k + 1, _sure(joined)
        if WROTE_BARE_RE.search(joined) and LEAD_RE.match(joined) and _sure(joined):
            return k + 1, True
        if k == 0 and OLD_GMAIL_RE.match(joined):
            return 1, False  # "2011/4/7 Anna <anna@x.example>": only above a quote
    return 0, False
