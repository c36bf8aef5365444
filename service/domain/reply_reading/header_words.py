"""The words of quote headers, by language: attribution verbs, header keys, separators.

English, German, French, Spanish, Italian, Portuguese, Dutch, Polish, Russian, Swedish,
Danish, Norwegian, Finnish, Czech, Turkish and Japanese (and a few more where cheap).
Plain data for quote_headers.py.
"""

from __future__ import annotations

# The verb that ends an attribution, lower case: "wrote:", "a écrit :", "napisał(a):",
# "が書きました：" (tested with str.endswith: no pattern runs over the line).
WROTE_ENDINGS = (
    "wrote", "writes", "geschrieben", "a écrit", "a ecrit", "écrit", "escribió", "escribio",
    "ha escrito", "ha scritto", "scrisse", "escreveu", "escribiu", "schreef het volgende",
    "geschreven", "pisze", "napisał", "napisal", "napisała", "napisala", "napisał(a)",
    "napisal(a)", "nadesłał", "написал", "написала", "написал(а)", "пишет", "kirjoitti",
    "napsal", "napsala", "napsal(a)", "yazdı", "yazdi", "が書きました", "書きました",
    "のメッセージ", "のメール", "写道", "寫道", "írta", "έγραψε", "a scris",
)  # fmt: skip
# Verbs a name may follow: "schrieb Anna Schmidt:", "skrev Per:", "schreef Jan <j@x>:".
NAMED_VERBS = r"schrieb|skrev|schreef"
# How an attribution starts when Gmail wraps it over lines: a lead word, a date, or a
# weekday before a date ("ср, 30 апр.", "ke 4.3.2026", "fre. 5. jan.").
LEAD = (
    r"(?:On|Am|Le|El|Il(?: giorno)?|Em|Op|W dniu|Dnia|Den|På|Dne|Vào)\s|\d|[^\W\d_]{1,4}\.?,?\s+\d"
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

# "-----Original Message-----" and its translations (between the dashes, lower case).
SEPARATOR_PHRASES = {
    "original message", "reply message", "forwarded message", "forwarded", "original",
    "ursprüngliche nachricht", "weitergeleitete nachricht", "message d'origine",
    "message transféré", "message original", "mensaje original", "mensaje reenviado",
    "messaggio originale", "messaggio inoltrato", "mensagem original",
    "mensagem encaminhada", "mensagem reencaminhada", "oorspronkelijk bericht",
    "doorgestuurd bericht", "origineel bericht", "wiadomość oryginalna",
    "oryginalna wiadomość", "wiadomość przekazana dalej", "przekazana wiadomość",
    "исходное сообщение", "пересылаемое сообщение", "пересланное сообщение",
    "ursprungligt meddelande", "vidarebefordrat meddelande", "oprindelig meddelelse",
    "videresendt meddelelse", "opprinnelig melding", "videresendt melding",
    "alkuperäinen viesti", "välitetty viesti", "původní zpráva", "přeposlaná zpráva",
    "özgün ileti", "orijinal mesaj", "iletilen mesaj", "元のメッセージ",
    "転送されたメッセージ", "原始邮件", "转发的邮件",
}  # fmt: skip
# Apple Mail's forward line ("Begin forwarded message:") and its translations.
FORWARD_PHRASES = {
    "begin forwarded message", "anfang der weitergeleiteten nachricht",
    "début du message réexpédié", "début du message transféré",
    "inicio del mensaje reenviado", "inizio messaggio inoltrato",
    "início da mensagem encaminhada", "início da mensagem reencaminhada",
    "begin doorgestuurd bericht", "początek przekazanej wiadomości",
    "начало переадресованного сообщения", "vidarebefordrat brev",
    "start på videresendt besked", "start på videresendt melding", "välitetty viesti alkaa",
    "začátek přeposlané zprávy", "iletilen mesajın başlangıcı", "転送されたメッセージ",
}  # fmt: skip
