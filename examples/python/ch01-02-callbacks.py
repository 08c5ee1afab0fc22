class Kettle:
    def __init__(self):
        self.when_boiled = []

    def on_boil(self, callback):
        """Keeps callback, to call when the water boils. Runs nothing now."""
        self.when_boiled.append(callback)

    def boil(self):
        print("Click! The kettle is done.")
        for callback in self.when_boiled:
            callback(100)


kettle = Kettle()

tea = "Earl Grey"
kettle.on_boil(
    lambda degrees: print(f"Pour the {degrees} °C water on the {tea}.")
)

mugs = ["my mug", "Ferris's mug"]


def fill_mugs(_degrees):
    for mug in mugs:
        print(f"Fill {mug}.")


kettle.on_boil(fill_mugs)
kettle.on_boil(lambda _degrees: print("Put the kettle back."))

print("Three things to do when the water boils; none done yet.")
print("Meanwhile, read the news.")
kettle.boil()
