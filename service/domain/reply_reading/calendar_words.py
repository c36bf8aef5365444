"""Month and weekday names in English, German, French, Spanish, Italian, Portuguese, Dutch
and Polish (Polish months in the nominative and the genitive a date uses: "15 sierpnia").

Abbreviations that are also common words ("ago", "out", "set", "mar" alone …) are left out:
a date needs a day number beside the month anyway, and "5 out of 10" is no date.
"""

from __future__ import annotations

_MONTH_NAMES = (
    # 1
    "january jan januar jänner janvier janv enero ene gennaio genn janeiro januari "
    "styczeń stycznia sty",
    "february feb februar février févr febrero febbraio febb fevereiro fev februari "
    "luty lutego lut",
    "march märz mars marzo março maart mrt marzec marca",
    "april apr avril abril aprile kwiecień kwietnia kwi",
    "may mai mayo maggio maio mei maj maja",
    "june jun juni juin junio giugno junho czerwiec czerwca cze",
    "july jul juli juillet juil julio luglio julho lipiec lipca lip",
    "august aug août agosto augustus sierpień sierpnia sie",
    "september sept sep septembre septiembre setiembre settembre setembro wrzesień września wrz",
    "october oct oktober okt octobre octubre ottobre outubro październik października paź",
    "november nov novembre noviembre novembro listopad listopada",
    "december dec dezember dez décembre déc diciembre dicembre dezembro grudzień grudnia gru",
)
MONTHS: dict[str, int] = {
    name: number for number, names in enumerate(_MONTH_NAMES, 1) for name in names.split()
}

_WEEKDAY_NAMES = (
    "monday montag lundi lunes lunedì lunedi segunda-feira segunda maandag poniedziałek "
    "poniedziałku",
    "tuesday dienstag mardi martes martedì martedi terça-feira terça dinsdag wtorek wtorku",
    "wednesday mittwoch mercredi miércoles miercoles mercoledì mercoledi quarta-feira quarta "
    "woensdag środa środę środy",
    "thursday donnerstag jeudi jueves giovedì giovedi quinta-feira quinta donderdag czwartek "
    "czwartku",
    "friday freitag vendredi viernes venerdì venerdi sexta-feira sexta vrijdag piątek piątku",
    "saturday samstag samedi sábado sabado sabato zaterdag sobota sobotę soboty",
    "sunday sonntag dimanche domingo domenica zondag niedziela niedzielę niedzieli",
)
WEEKDAYS: dict[str, int] = {
    name: number for number, names in enumerate(_WEEKDAY_NAMES) for name in names.split()
}
