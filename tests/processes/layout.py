"""Checks that a process diagram is drawn cleanly (what bpmn-js will show), shared by the
variant tests."""

from __future__ import annotations

from itertools import combinations, pairwise
from pathlib import Path

from lxml import etree

NS = {
    "bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
    "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
    "dc": "http://www.omg.org/spec/DD/20100524/DC",
    "di": "http://www.omg.org/spec/DD/20100524/DI",
}
FLOW_NODE_TAGS = {"startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent",
                  "boundaryEvent", "userTask", "businessRuleTask", "exclusiveGateway", "subProcess"}


def _bounds(tree, element_id: str) -> tuple[float, float, float, float]:
    b = tree.xpath(f"//bpmndi:BPMNShape[@bpmnElement='{element_id}']/dc:Bounds",
                   namespaces=NS)[0]
    x, y, w, h = (float(b.get(k)) for k in ("x", "y", "width", "height"))
    return x, y, x + w, y + h


def assert_drawing_is_clean(bpmn: Path) -> None:
    """Every flow node is drawn inside its lane, pool and sub-process; no two shapes overlap;
    every flow is straight-angled, runs through no other shape and ends on its shapes."""
    tree = etree.parse(str(bpmn))
    nodes = [n for n in tree.xpath("//bpmn:process//bpmn:*", namespaces=NS)
             if etree.QName(n).localname in FLOW_NODE_TAGS]
    bounds = {n.get("id"): _bounds(tree, n.get("id")) for n in nodes}
    lanes = tree.xpath("//bpmn:lane", namespaces=NS)
    pool = _bounds(tree, "Participant_koordinerende_enhet")

    def inside(a, b):  # type: ignore[no-untyped-def]
        return a[0] >= b[0] and a[1] >= b[1] and a[2] <= b[2] and a[3] <= b[3]

    for lane in lanes:
        lane_box = _bounds(tree, lane.get("id"))
        assert inside(lane_box, pool)
        for ref in lane.xpath("bpmn:flowNodeRef/text()", namespaces=NS):
            assert inside(bounds[ref], lane_box), (ref, lane.get("name"))
    for node in nodes:
        assert inside(bounds[node.get("id")], pool), node.get("id")
        parent = node.getparent()
        if etree.QName(parent).localname == "subProcess":
            assert inside(bounds[node.get("id")], bounds[parent.get("id")]), node.get("id")
    contained = {n.get("id"): set(n.xpath(".//@id")) for n in nodes
                 if etree.QName(n).localname == "subProcess"}
    for a, b in combinations(bounds, 2):
        if b in contained.get(a, ()) or a in contained.get(b, ()):
            continue
        if {a, b} == {"Timer_forelopig_svar", "Task_vurder_rett"}:
            continue
        ba, bb = bounds[a], bounds[b]
        assert not (ba[0] < bb[2] and bb[0] < ba[2] and ba[1] < bb[3] and bb[1] < ba[3]), (a, b)

    plain = [i for i in bounds if i not in contained]
    for flow in tree.xpath("//bpmn:sequenceFlow", namespaces=NS):
        points = [(float(p.get("x")), float(p.get("y"))) for p in tree.xpath(
            f"//bpmndi:BPMNEdge[@bpmnElement='{flow.get('id')}']/di:waypoint", namespaces=NS)]
        assert len(points) >= 2, flow.get("id")
        for (x1, y1), (x2, y2) in pairwise(points):
            assert x1 == x2 or y1 == y2, flow.get("id")
            for other in set(plain) - {flow.get("sourceRef"), flow.get("targetRef")}:
                box = bounds[other]
                if y1 == y2:
                    through = box[1] < y1 < box[3] and min(x1, x2) < box[2] and box[0] < max(x1, x2)
                else:
                    through = box[0] < x1 < box[2] and min(y1, y2) < box[3] and box[1] < max(y1, y2)
                assert not through, (flow.get("id"), other)
        for end, ref in ((points[0], flow.get("sourceRef")), (points[-1], flow.get("targetRef"))):
            box = bounds[ref]
            assert box[0] <= end[0] <= box[2] and box[1] <= end[1] <= box[3], (flow.get("id"), ref)
