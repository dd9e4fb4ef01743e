"""Date and time formats of each interface language (settings.FORMAT_MODULE_PATH). Templates name them
(`date:"SHORT_DATE_FORMAT"`), never a pattern, so a German page reads "6. Dez. 2026" and an English one
"6 Dec 2026". Month and day names come from Django's own translations."""
