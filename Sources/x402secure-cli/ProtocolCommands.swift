import ArgumentParser
/// x402 protocol subcommands (pay, decode, verify, networks).
let protocolCommands: [ParsableCommand.Type] = []
