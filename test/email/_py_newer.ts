/**
 * python3 here is CPython 3.11.7; the later 3.11 security releases (as
 * Debian ships them) changed the header folder: newlines in a header are
 * always encoded (gh-121650, header injection), and an address list's
 * commas are never encoded words (ListSeparator). netkit follows the newer
 * code, so the differential tests run this patch first: it rewrites
 * 3.11.7's `email._header_value_parser` in place with those hunks (and does
 * nothing on a python3 that already has them).
 */
export const PY_NEWER_FOLDER = `
import email._header_value_parser as _hvp, inspect as _inspect
_src = _inspect.getsource(_hvp)
if 'SPECIALSNL' not in _src:
    _hunks = [
        ("def quote_string(value):", "NLSET = {'\\\\n', '\\\\r'}\\nSPECIALSNL = SPECIALS | NLSET\\n\\ndef quote_string(value):"),
        ("ListSeparator = ValueTerminal(',', 'list-separator')\\n",
         "ListSeparator = ValueTerminal(',', 'list-separator')\\nListSeparator.as_ew_allowed = False\\nListSeparator.syntactic_break = False\\n"),
        ("address_list.append(ValueTerminal(',', 'list-separator'))", "address_list.append(ListSeparator)"),
        ("""        if part.token_type == 'ptext' and set(tstr) & SPECIALS:
            # Encode if tstr contains special characters.
            want_encoding = True
""", """        if not want_encoding:
            if part.token_type == 'ptext':
                want_encoding = not SPECIALSNL.isdisjoint(tstr)
            else:
                want_encoding = not NLSET.isdisjoint(tstr)
"""),
        ("""            if not hasattr(part, 'encode'):
                # It's not a Terminal, do each piece individually.
                parts = list(part) + parts
            else:
                # It's a terminal, wrap it as an encoded word, possibly
                # combining it with previously encoded words if allowed.
                last_ew = _fold_as_ew(tstr, lines, maxlen, last_ew,
                                      part.ew_combine_allowed, charset)
            want_encoding = False
            continue
""", """            if not hasattr(part, 'encode'):
                parts = list(part) + parts
                want_encoding = False
                continue
            elif part.as_ew_allowed:
                last_ew = _fold_as_ew(tstr, lines, maxlen, last_ew,
                                      part.ew_combine_allowed, charset)
                want_encoding = False
                continue
            else:
                last_ew = None
                want_encoding = False
"""),
    ]
    for _old, _new in _hunks:
        assert _src.count(_old) == 1, _old
        _src = _src.replace(_old, _new)
    exec(compile(_src, _hvp.__file__, 'exec'), _hvp.__dict__)
`;
