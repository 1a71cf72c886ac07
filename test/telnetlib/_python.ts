/**
 * python3's telnetlib state machine as a reference for the parser tests:
 * each case is a list of chunks fed to `process_rawq` one after another
 * (as `fill_rawq` would give them), with an option callback that records
 * every command and, when the case asks, takes the SB data at SE (as a
 * real callback does). Run in one python3 call for a whole batch.
 */
import { python } from "../_support/python.js";

/** One parser case: chunks as hex, and whether the callback reads the SB data at SE. */
export interface ParserCase {
  chunks: string[];
  takeAtSE: boolean;
}

/** What a parser run gives: the cooked bytes after each chunk, the commands (with SB data taken at SE), the SB data left. */
export interface ParserOutcome {
  cooked: string[];
  events: (number[] | string)[];
  sb: string;
}

const SCRIPT = `
import json, sys, warnings
warnings.simplefilter("ignore")
import telnetlib
out = []
for case in json.load(sys.stdin):
    tn = telnetlib.Telnet()
    events = []
    def cb(sock, cmd, opt, tn=tn, events=events, take=case["takeAtSE"]):
        events.append([cmd[0], opt[0]])
        if take and cmd == telnetlib.SE:
            events.append(tn.read_sb_data().hex())
    tn.set_option_negotiation_callback(cb)
    cooked = []
    for chunk in case["chunks"]:
        tn.rawq = tn.rawq + bytes.fromhex(chunk)
        tn.process_rawq()
        cooked.append(tn.read_very_lazy().hex())
    out.append({"cooked": cooked, "events": events, "sb": tn.read_sb_data().hex()})
print(json.dumps(out))
`;

/** Runs the cases through python3's `Telnet.process_rawq`. */
export function pythonParse(cases: ParserCase[]): Promise<ParserOutcome[]> {
  return python<ParserOutcome[]>(SCRIPT, cases);
}
