"""TB: the shape of the official tables — cells per row, values that are numbers, labels as the template has them."""
