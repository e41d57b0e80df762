"""The course as teachers receive it: lessons released to students, and (later)
the whole pack built in one command. Nothing here is physics."""
