import IKEWire
