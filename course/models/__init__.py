"""The networks the course trains, one small readable module each."""
