package main

// unused is used by no code at all.
const unused = 1

// name is used by the other file's handler only... through a constant.
const name = "items"

const shout = name + "!"

func loud() string { return shout }
