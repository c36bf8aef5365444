"""What a reply carries that the prospect did not write now: signatures and phone footers.

- The "-- " delimiter (RFC 3676; Gmail's plain text part puts it above a signature), or a
  long underscore rule not followed by a header block (a mailing list's footer): the rest
  of that block is signature, up to the next quote.
- A phone's line: "Sent from my iPhone", "Get Outlook for iOS", "Von meinem iPhone gesendet",
  "Envoyé de mon iPhone", "iPhoneから送信" … — only when short (a sentence that happens to
  start with "Sent from my" is the prospect's); a phone puts it under what was typed, so
  like "-- " it runs to the next quote.
- A sign-off at the end of a block: "Best regards," / "Mit freundlichen Grüßen" /
  "Cordialement" … followed by at most a few short lines (a name, a title, a phone). Never
  when a list, a question or a paragraph follows, and never the prospect's only words.

A list ("- ", "* ", "1. ") is never a signature.
"""

from __future__ import annotations

import re

MAX_TAIL_LINES = 6  # name, title, company, phone, site, address
MAX_TAIL_LINE = 80

RULE_RE = re.compile(r"_{10,}$")
LIST_RE = re.compile(r"(?:[-*•+–]|\d{1,3}[.)]|[a-z][.)])\s")
MOBILE_RE = re.compile(
    r"(?:sent from|sent with|sent via|sent using|get outlook for|download outlook for|"
    r"von meinem|gesendet von|gesendet mit|gesendet vom|outlook für|"
    r"envoyé de|envoyé depuis|envoyé avec|envoyé à partir de|obtenir outlook pour|"
    r"télécharger outlook pour|"
    r"enviado desde|enviado con|obtener outlook para|descargar outlook para|"
    r"enviado do|enviado de meu|enviado a partir do|enviado com|obter o outlook para|"
    r"baixe o outlook para|inviato da|inviato dal|inviato con|scarica outlook per|"
    r"ottieni outlook per|verzonden vanaf|verstuurd vanaf|verzonden met|verstuurd met|"
    r"outlook voor|wysłane z|wysłano z|wysłane przy użyciu|pobierz aplikację outlook|"
    r"отправлено с|отправлено из|скачайте outlook|skickat från|hämta outlook för|"
    r"sendt fra|hent outlook til|hent outlook for|lähetetty|hanki outlook|odesláno z|"
    r"stáhněte si outlook|iphone'umdan gönderildi|android'den gönderildi)\b(.*)$",
    re.I,
)
MOBILE_SUFFIX_RE = re.compile(r"(?:から送信|から送信しました|より送信)[。.]?$")
SENTENCE_COMMA_RE = re.compile(r",(?!\s*[A-Z0-9])")
PS_RE = re.compile(r"p\.?\s?s\b", re.I)
URL_RE = re.compile(r"<[^<>]{0,300}>|\(https?://[^()]{0,300}\)")

VALEDICTIONS = {
    # en
    "best regards", "kind regards", "warm regards", "warmest regards", "regards", "best",
    "best wishes", "all the best", "cheers", "thanks", "thank you", "many thanks",
    "thanks a lot", "thanks again", "thanks in advance", "sincerely", "yours sincerely",
    "yours truly", "yours", "br", "kr", "thx", "rgds", "respectfully", "with best regards",
    "with kind regards", "have a nice day", "have a great day", "talk soon", "speak soon",
    # de
    "mit freundlichen grüßen", "mit freundlichen grüssen", "freundliche grüße",
    "freundliche grüsse", "viele grüße", "viele grüsse", "beste grüße", "beste grüsse",
    "liebe grüße", "liebe grüsse", "herzliche grüße", "schöne grüße", "grüße", "grüsse",
    "gruß", "gruss", "lg", "vg", "mfg", "danke", "vielen dank", "besten dank",
    # fr
    "cordialement", "bien cordialement", "très cordialement", "bien à vous", "merci",
    "merci beaucoup", "salutations", "meilleures salutations", "sincères salutations",
    "bonne journée", "amicalement", "bien amicalement", "belle journée", "à bientôt",
    # es
    "saludos", "un saludo", "saludos cordiales", "atentamente", "gracias", "muchas gracias",
    "cordialmente", "un abrazo", "abrazos", "un cordial saludo",
    # it
    "cordiali saluti", "saluti", "distinti saluti", "grazie", "grazie mille", "un saluto",
    "buona giornata", "a presto", "un caro saluto",
    # pt
    "atenciosamente", "cumprimentos", "melhores cumprimentos", "obrigado", "obrigada",
    "abraços", "abraço", "att", "abs", "um abraço", "com os melhores cumprimentos",
    # nl
    "met vriendelijke groet", "met vriendelijke groeten", "vriendelijke groet", "groeten",
    "groet", "mvg", "hartelijke groet", "hartelijke groeten", "bedankt", "dank je", "dank u",
    "alvast bedankt",
    # pl
    "pozdrawiam", "z poważaniem", "z powazaniem", "pozdrowienia", "dziękuję",
    "serdecznie pozdrawiam", "z wyrazami szacunku", "serdeczne pozdrowienia",
    # ru, sv, da, no, fi, cs, tr, ja
    "с уважением", "спасибо", "всего доброго", "med vänliga hälsningar", "vänliga hälsningar",
    "hälsningar", "mvh", "tack", "med venlig hilsen", "venlig hilsen", "hilsen", "tak", "kh",
    "knus", "de bedste hilsner", "bedste hilsner",
    "med vennlig hilsen", "vennlig hilsen", "ystävällisin terveisin", "terveisin", "kiitos",
    "s pozdravem", "děkuji", "saygılarımla", "iyi çalışmalar", "teşekkürler",
    "よろしくお願いします", "よろしくお願いいたします",
}  # fmt: skip
TRAILING_RE = re.compile(r"[\W_]+$")  # punctuation, dashes, an emoji
# "Thanks, Anna" / "Best, Jan Kowalski": a sign-off with the name on the same line.
WITH_NAME_RE = re.compile(r"(.{2,40}?),\s*((?:[A-ZÀ-ÖØ-ÞĀ-ſА-Я][\w'.-]*\s?){1,3})$")


def is_delimiter(stripped: str) -> bool:
    """ "-- " (stripped to "--"), "__", or a long underscore rule."""
    return stripped in ("--", "__") or bool(RULE_RE.match(stripped))


def is_mobile_line(stripped: str) -> bool:
    """A phone's or app's footer line, short enough not to be a sentence of the prospect."""
    if len(stripped) > 120:
        return False
    if MOBILE_SUFFIX_RE.search(stripped):
        return True
    m = MOBILE_RE.match(stripped)
    if m is None:
        return False
    tail = URL_RE.sub(" ", m.group(1))
    # "Sent from my Verizon, Samsung Galaxy smartphone" is a footer; "Sent from my desk,
    # which is easier" is a sentence.
    return len(tail.split()) <= 8 and not SENTENCE_COMMA_RE.search(tail)


def is_valediction(stripped: str) -> bool:
    if len(stripped) > MAX_TAIL_LINE:
        return False
    words = TRAILING_RE.sub("", stripped.split(" / ")[0]).lower()
    if words in VALEDICTIONS:
        return True
    m = WITH_NAME_RE.match(stripped)
    return m is not None and TRAILING_RE.sub("", m.group(1)).lower() in VALEDICTIONS


def _is_tail(lines: list[str]) -> bool:
    """Lines after a sign-off that look like a name block, not more of the message."""
    filled = [line.strip() for line in lines if line.strip()]
    return len(filled) <= MAX_TAIL_LINES and all(
        len(line) <= MAX_TAIL_LINE
        and not LIST_RE.match(line)
        and not line.endswith("?")
        and not PS_RE.match(line)
        for line in filled
    )


def without_sign_off(block: list[str]) -> list[str]:
    """The block without its closing sign-off and the name lines under it."""
    filled = [i for i, line in enumerate(block) if line.strip()]
    for i in filled[-(MAX_TAIL_LINES + 1) :]:
        line = block[i].strip()
        if i == filled[0] or not is_valediction(line) or not _is_tail(block[i + 1 :]):
            continue
        if i == filled[-1] and line.endswith(("!", ".")):
            continue  # a last "Thanks!" is a sentence; "Best regards," alone is a sign-off
        return block[:i]
    return block
