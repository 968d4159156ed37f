"""Personal data out of free text; later, tickets into recurring questions."""
