"""Validates JSON values against the Dropbox API spec's types, read with stone (the spec's official parser).

Strict on purpose: an unknown field or tag, a missing required field, an explicit null (Dropbox omits
unset optional fields) or a value outside a primitive's constraints is a problem. The SDKs decode
leniently, so this is what catches an emulator drifting from the spec.
"""

import glob
import os

from stone.frontend.frontend import specs_to_ir
from stone.ir import data_types as dt

# team.stone imports a namespace ("account") that the trimmed spec copy does not carry, and no route
# we serve lives in it.
SKIPPED_SPEC_FILES = {"team.stone"}


def load_api(spec_dir):
    files = sorted(
        path for path in glob.glob(os.path.join(spec_dir, "*.stone"))
        if os.path.basename(path) not in SKIPPED_SPEC_FILES
    )
    specs = []
    for path in files:
        with open(path, encoding="utf-8") as handle:
            specs.append((path, handle.read()))
    return specs_to_ir(specs)


def route_table(api):
    """`namespace/route[_vN]` -> stone ApiRoute, as the route appears in the URL after `/2/`."""
    routes = {}
    for namespace in api.namespaces.values():
        for route in namespace.routes:
            suffix = "_v%d" % route.version if route.version > 1 else ""
            routes["%s/%s%s" % (namespace.name, route.name, suffix)] = route
    return routes


def data_type(api, namespace, name):
    return api.namespaces[namespace].data_type_by_name[name]


def validate(data_type_, value, where="$"):
    """Every way `value` breaks `data_type_`, as readable strings (empty when it conforms)."""
    problems = []
    _check(data_type_, value, where, problems)
    return problems


def _unwrap(data_type_):
    """Strips aliases (keeping the innermost constrained type) and reports nullability."""
    nullable = False
    while True:
        if isinstance(data_type_, dt.Alias):
            data_type_ = data_type_.data_type
        elif isinstance(data_type_, dt.Nullable):
            nullable = True
            data_type_ = data_type_.data_type
        else:
            return data_type_, nullable


def _name(data_type_):
    return getattr(data_type_, "name", type(data_type_).__name__)


def _check(data_type_, value, where, problems):
    inner, nullable = _unwrap(data_type_)
    if value is None:
        if isinstance(inner, dt.Void):
            return
        if nullable:
            problems.append("%s: explicit null for optional %s (Dropbox omits unset fields)" % (where, _name(inner)))
        else:
            problems.append("%s: null where %s is required" % (where, _name(inner)))
        return
    if isinstance(inner, dt.Void):
        problems.append("%s: expected no value (Void), got %r" % (where, value))
    elif isinstance(inner, dt.Struct):
        _check_struct(inner, value, where, problems)
    elif isinstance(inner, dt.Union):
        _check_union(inner, value, where, problems)
    elif isinstance(inner, dt.List):
        _check_list(inner, value, where, problems)
    elif isinstance(inner, dt.Map):
        if not isinstance(value, dict):
            problems.append("%s: expected an object (map), got %s" % (where, type(value).__name__))
            return
        for key, item in value.items():
            _check(inner.key_data_type, key, "%s[%r]" % (where, key), problems)
            _check(inner.value_data_type, item, "%s[%r]" % (where, key), problems)
    else:
        _check_primitive(inner, value, where, problems)


def _check_primitive(inner, value, where, problems):
    # JSON booleans are Python ints; stone's integer check would let true pass as 1.
    if isinstance(inner, dt.Boolean):
        if not isinstance(value, bool):
            problems.append("%s: expected a boolean, got %r" % (where, value))
        return
    if isinstance(inner, (dt._BoundedInteger, dt._BoundedFloat)) and isinstance(value, bool):
        problems.append("%s: expected a number, got %r" % (where, value))
        return
    if isinstance(inner, dt._BoundedFloat) and isinstance(value, int):
        value = float(value)
    try:
        inner.check(value)
    except Exception as error:  # stone raises ValueError or InvalidPrimitiveError
        problems.append("%s: %s (%s)" % (where, error, _name(inner)))


def _check_list(inner, value, where, problems):
    if not isinstance(value, list):
        problems.append("%s: expected a list, got %s" % (where, type(value).__name__))
        return
    if inner.min_items is not None and len(value) < inner.min_items:
        problems.append("%s: %d items, fewer than %d" % (where, len(value), inner.min_items))
    if inner.max_items is not None and len(value) > inner.max_items:
        problems.append("%s: %d items, more than %d" % (where, len(value), inner.max_items))
    for index, item in enumerate(value):
        _check(inner.data_type, item, "%s[%d]" % (where, index), problems)


def _check_struct(struct, value, where, problems):
    if not isinstance(value, dict):
        problems.append("%s: expected a %s object, got %s" % (where, struct.name, type(value).__name__))
        return
    if struct.has_enumerated_subtypes():
        tag = value.get(".tag")
        subtypes = {field.name: field.data_type for field in struct.get_enumerated_subtypes()}
        if tag is None:
            problems.append("%s: %s needs a .tag naming one of %s" % (where, struct.name, sorted(subtypes)))
            return
        if tag not in subtypes:
            problems.append("%s: .tag %r is not a subtype of %s (%s)" % (where, tag, struct.name, sorted(subtypes)))
            return
        rest = {key: item for key, item in value.items() if key != ".tag"}
        subtype = subtypes[tag]
        if subtype.has_enumerated_subtypes():
            # A deeper level of the tree carries its own tag in the same object (`a.b`); not used by our routes.
            problems.append("%s: nested subtype trees are not supported by this checker (%s)" % (where, subtype.name))
            return
        _check_fields(subtype, rest, where, problems)
        return
    _check_fields(struct, value, where, problems)


def _check_fields(struct, value, where, problems):
    known = {field.name: field for field in struct.all_fields}
    for key in value:
        if key not in known:
            problems.append("%s: unknown field %r in %s" % (where, key, struct.name))
    for name, field in known.items():
        if name not in value:
            _, nullable = _unwrap(field.data_type)
            if not nullable and not field.has_default:
                problems.append("%s: missing required field %r of %s" % (where, name, struct.name))
            continue
        _check(field.data_type, value[name], "%s.%s" % (where, name), problems)


def _check_union(union, value, where, problems):
    members = {field.name: field for field in union.all_fields}
    if isinstance(value, str):
        tag, rest = value, {}
    elif isinstance(value, dict) and isinstance(value.get(".tag"), str):
        tag = value[".tag"]
        rest = {key: item for key, item in value.items() if key != ".tag"}
    else:
        problems.append("%s: expected a %s union value with a .tag, got %r" % (where, union.name, value))
        return
    if tag not in members:
        problems.append("%s: unknown tag %r for %s (%s)" % (where, tag, union.name, sorted(members)))
        return
    if union.catch_all_field is not None and members[tag] is union.catch_all_field:
        # Stone reserves the catch-all for tags a client does not know; the SDKs refuse it on the wire.
        problems.append("%s: catch-all tag %r of %s sent on the wire" % (where, tag, union.name))
        return
    member_type, nullable = _unwrap(members[tag].data_type)
    if isinstance(member_type, dt.Void):
        if rest:
            problems.append("%s: void tag %r of %s carries fields %s" % (where, tag, union.name, sorted(rest)))
        return
    if isinstance(member_type, dt.Struct) and not member_type.has_enumerated_subtypes():
        # A plain struct member is flattened next to .tag.
        _check_fields(member_type, rest, where, problems)
        return
    # Anything else (primitive, list, union, polymorphic struct) is nested under the member name.
    extra = sorted(key for key in rest if key != tag)
    if extra:
        problems.append("%s: tag %r of %s carries unknown fields %s" % (where, tag, union.name, extra))
    if tag not in rest:
        if not nullable:
            problems.append("%s: tag %r of %s needs its value under %r" % (where, tag, union.name, tag))
        return
    _check(members[tag].data_type, rest[tag], "%s.%s" % (where, tag), problems)
