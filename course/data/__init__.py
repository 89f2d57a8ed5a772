"""The course's data sets, all shipped or generated: nothing is ever downloaded."""
