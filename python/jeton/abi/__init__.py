"""The contracts' ABIs, exported from the compiled sources by `ape run export_abi`."""
