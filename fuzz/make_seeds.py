#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Writes the crafted seed inputs of corpus/fuzz/<harness>/ (deterministic:
fixed timestamps, no randomness), so the seeds can be regenerated and reviewed.

    python3 fuzz/make_seeds.py            # writes under corpus/fuzz/
Real files are not copied here: the harnesses also take corpus/bundles and
corpus/real (see fuzz/corpora.txt). Written for this project."""
import gzip, importlib.util, io, os, struct, warnings, zipfile, zlib

warnings.filterwarnings("ignore", "Duplicate name")

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "corpus", "fuzz")
DATE = (2024, 1, 1, 0, 0, 0)

def put(harness, name, data):
    d = os.path.join(ROOT, harness)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())

SCENE = ('<?xml version="1.0" encoding="UTF-8"?>\n<MRML version="Slicer4.11.0" userTags="">\n'
         ' <Volume id="vtkMRMLScalarVolumeNode1" name="v" storageNodeRef="vtkMRMLVolumeArchetypeStorageNode1" '
         'displayNodeRef="vtkMRMLScalarVolumeDisplayNode1" spacing="1 1 1" origin="0 0 0" '
         'ijkToRASDirections="-1 0 0 0 -1 0 0 0 1"></Volume>\n'
         ' <VolumeArchetypeStorage id="vtkMRMLVolumeArchetypeStorageNode1" name="s" fileName="Data/v.nrrd" '
         'useCompression="1"></VolumeArchetypeStorage>\n'
         ' <VolumeDisplay id="vtkMRMLScalarVolumeDisplayNode1" name="d" colorNodeID="vtkMRMLColorTableNodeGrey"></VolumeDisplay>\n'
         '</MRML>\n')
NRRD = (b"NRRD0004\ntype: unsigned char\ndimension: 3\nspace: left-posterior-superior\nsizes: 2 2 2\n"
        b"space directions: (1,0,0) (0,1,0) (0,0,1)\nencoding: raw\nspace origin: (0,0,0)\n\n" + bytes(8))

def bundle(entries, method=zipfile.ZIP_DEFLATED, **kw):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method, **kw) as z:
        for name, data in entries:
            zi = zipfile.ZipInfo(name, DATE)
            zi.compress_type = zipfile.ZIP_STORED if name.endswith("/") else method
            if name.endswith("/"):
                zi.external_attr = 0o40755 << 16 | 0x10
            else:
                zi.external_attr = 0o100644 << 16
            z.writestr(zi, data)
    return buf.getvalue()

def streamed(entries):
    """A ZIP written to a non-seekable stream: data descriptors after each entry."""
    class W(io.RawIOBase):
        def __init__(self): self.b = bytearray()
        def writable(self): return True
        def write(self, d): self.b += d; return len(d)
    w = W()
    with zipfile.ZipFile(w, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            with z.open(zipfile.ZipInfo(name, DATE), "w") as f:
                f.write(data if isinstance(data, bytes) else data.encode())
    return bytes(w.b)

OK = [("Scene/", b""), ("Scene/Data/", b""), ("Scene/Scene.mrml", SCENE), ("Scene/Data/v.nrrd", NRRD)]

def mrb_seeds():
    h = "mrb_fuzzer"
    good = bundle(OK)
    put(h, "minimal_deflate.mrb", good)
    put(h, "minimal_stored.mrb", bundle(OK, zipfile.ZIP_STORED))
    put(h, "data_descriptors.mrb", streamed(OK[2:]))
    put(h, "zip64_records.mrb", _force_zip64(OK))
    nested = bundle([("Seq/", b""), ("Seq/Seq.mrml", SCENE.replace("Data/v.nrrd", "v.nrrd")), ("Seq/v.nrrd", NRRD)])
    put(h, "nested_seq.mrb", bundle(OK + [("Scene/Data/s.seq.mrb", nested)]))
    put(h, "traversal.mrb", bundle(OK + [("Scene/../../evil.py", b"import os\n")]))
    put(h, "absolute.mrb", bundle(OK + [("/etc/cron.d/x", b"* * * * * root id\n")]))
    put(h, "backslash.mrb", bundle(OK + [("Scene\\..\\..\\x.txt", b"x")]))
    put(h, "duplicate.mrb", bundle(OK + [("Scene/Scene.mrml", SCENE)]))
    put(h, "case_collision.mrb", bundle(OK + [("Scene/data/V.NRRD", NRRD)]))
    put(h, "prepended.mrb", b"#!/bin/sh\necho hi\nexit 0\n" + good)
    put(h, "trailing.mrb", good + b"<html>polyglot</html>")
    put(h, "eocd_comment.mrb", good[:-2] + struct.pack("<H", 7) + b"comment")
    put(h, "escape_storage.mrb", bundle([("Scene/", b""), ("Scene/Scene.mrml", SCENE.replace("Data/v.nrrd", "../../../../etc/passwd"))]))
    put(h, "missing_storage.mrb", bundle([("Scene/", b""), ("Scene/Scene.mrml", SCENE)]))
    put(h, "two_scenes.mrb", bundle(OK + [("Scene/Other.mrml", SCENE)]))
    put(h, "macosx.mrb", bundle(OK + [("__MACOSX/Scene/._Scene.mrml", b"\x00\x05\x16\x07")]))
    put(h, "bomb_ratio.mrb", bundle(OK + [("Scene/Data/zeros.raw", bytes(4 << 20))]))
    sym = io.BytesIO()
    with zipfile.ZipFile(sym, "w") as z:
        for n, d in OK: z.writestr(zipfile.ZipInfo(n, DATE), d)
        zi = zipfile.ZipInfo("Scene/Data/link", DATE); zi.create_system = 3
        zi.external_attr = 0o120777 << 16; z.writestr(zi, "/etc/passwd")
    put(h, "symlink.mrb", sym.getvalue())
    bad = bytearray(bundle(OK, zipfile.ZIP_STORED)); i = bad.find(b"NRRD0004"); bad[i + 5] ^= 1
    put(h, "crc_mismatch.mrb", bytes(bad))
    put(h, "empty_zip.mrb", b"PK\x05\x06" + bytes(18))
    # A scene that is not .mrml-named in the bundle, and XML given as a bundle.
    put(h, "scene_as_xml.mrb", SCENE)

def _force_zip64(entries):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as z:
        for name, data in entries:
            zi = zipfile.ZipInfo(name, DATE)
            zi.compress_type = zipfile.ZIP_DEFLATED
            with z.open(zi, "w", force_zip64=True) as f:
                f.write(data if isinstance(data, bytes) else data.encode())
    return buf.getvalue()

def mrml_seeds():
    h = "mrml_fuzzer"
    s = SCENE
    put(h, "minimal.mrml", s)
    put(h, "doctype_entity.mrml", '<?xml version="1.0"?>\n<!DOCTYPE MRML [<!ENTITY x "y">]>\n<MRML><Volume id="a" name="&x;"/></MRML>\n')
    put(h, "xxe.mrml", '<?xml version="1.0"?>\n<!DOCTYPE MRML [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<MRML><Volume id="a" name="&x;"/></MRML>\n')
    put(h, "laughs.mrml", '<!DOCTYPE MRML [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]><MRML name="&c;"/>')
    put(h, "deep.mrml", "<MRML>" + "<SubjectHierarchyItem id='1'>" * 80 + "</SubjectHierarchyItem>" * 80 + "</MRML>")
    put(h, "latin1.mrml", b'<?xml version="1.0" encoding="ISO-8859-1"?>\n<MRML><Volume id="a" name="\xe9"/></MRML>\n')
    put(h, "utf16.mrml", '<?xml version="1.0" encoding="UTF-16"?><MRML><Volume id="a"/></MRML>'.encode("utf-16"))
    put(h, "bom.mrml", b"\xef\xbb\xbf" + s.encode())
    put(h, "namespace.mrml", '<MRML xmlns:x="urn:x"><x:Volume id="a" x:name="b"/></MRML>')
    put(h, "cdata_comment_pi.mrml", '<MRML><!-- c --><?pi x?><Volume id="a"><![CDATA[text]]></Volume></MRML>')
    put(h, "text.mrml", '<MRML>text<Volume id="a"/>more</MRML>')
    put(h, "attr_escapes.mrml", '<MRML><Volume id="a" name="a&amp;b&lt;&#x9;&#10;c" description="x\ty\nz"/></MRML>')
    put(h, "control_char.mrml", '<MRML><Volume id="a" name="&#x1;"/></MRML>')
    put(h, "format_string.mrml", '<MRML><MarkupsFiducial id="m" name="%s%s%s%n" labelFormat="%N-%d%n%1000000d"/></MRML>')
    put(h, "duplicate_ids.mrml", '<MRML><Volume id="a"/><Volume id="a"/><Model id="b" displayNodeRef="missing"/></MRML>')
    put(h, "cycle.mrml", '<MRML><LinearTransform id="t1" transformNodeRef="t2"/><LinearTransform id="t2" transformNodeRef="t1"/></MRML>')
    put(h, "values.mrml", '<MRML><ColorTable id="c" numcolors="2147483647" type="13"/><Layout id="l" numberOfCompareViewRows="100000"/><Volume id="v" spacing="nan inf -1" origin="1e999 0 0"/></MRML>')
    put(h, "storage_paths.mrml", '<MRML><VolumeArchetypeStorage id="s1" fileName="../../x.nrrd"/><ModelStorage id="s2" fileName="/etc/passwd"/>'
        '<ModelStorage id="s3" fileName="\\\\server\\share\\x.vtk"/><ModelStorage id="s4" fileName="http://x/y.vtk"/>'
        '<ModelStorage id="s5" fileName="a%2F..%2F..%2Fb.vtk" fileListMember0="../y"/></MRML>')
    put(h, "code_nodes.mrml", '<MRML><ScriptedModule id="s" parameter="import os"/><ShaderProperty id="p"/><CommandLineModule id="c"/><RemoteIO id="r"/></MRML>')
    put(h, "subject_hierarchy.mrml", '<MRML><SubjectHierarchy id="sh"><SubjectHierarchyItem id="3" dataNode="a"><SubjectHierarchyItem id="4" parent="3"/></SubjectHierarchyItem></SubjectHierarchy><Volume id="a"/></MRML>')
    put(h, "unknown_tag.mrml", '<MRML><Frobnicator id="x"/><SceneView id="v"><Volume id="y"/></SceneView></MRML>')
    put(h, "not_wellformed.mrml", '<MRML><Volume id="a"></MRML>')
    put(h, "two_roots.mrml", '<MRML/><MRML/>')
    put(h, "xml11.mrml", '<?xml version="1.1"?><MRML/>')
    put(h, "dup_attr.mrml", '<MRML><Volume id="a" id="b"/></MRML>')
    put(h, "references.mrml", '<MRML><Volume id="a" references="display:d1 d2;storage:s1;;bad" /></MRML>')

def data_seeds():
    h = "data_header_fuzzer"
    def d(name, sel, cfg, body):
        put(h, name, bytes([sel, cfg]) + (body if isinstance(body, bytes) else body.encode()))
    d("nrrd_attached", 0, 0, NRRD)
    d("nrrd_gzip", 0, 0x10, NRRD.replace(b"raw", b"gzip")[:-8] + zlib.compress(bytes(8)))
    d("nhdr_detached", 1, 0, "NRRD0004\ntype: short\ndimension: 3\nsizes: 256 256 130\nencoding: raw\ndata file: v.raw\n\n")
    d("nhdr_list", 1, 0, "NRRD0005\ntype: float\ndimension: 3\nsizes: 4 4 3\nencoding: raw\ndata file: LIST 2\na.raw\n../b.raw\n/etc/c.raw\n")
    d("nhdr_pattern", 1, 0, "NRRD0004\ntype: int\ndimension: 3\nsizes: 2 2 100000\nencoding: raw\ndata file: slice%n%03d.raw 1 100000 1 2\n\n")
    d("nrrd_huge", 0, 0, "NRRD0004\ntype: double\ndimension: 4\nsizes: 100000 100000 100000 3\nkinds: domain domain domain vector\nencoding: raw\n\n")
    d("seg_nrrd", 2, 0, "NRRD0004\ntype: unsigned char\ndimension: 4\nsizes: 3 8 8 8\nkinds: list domain domain domain\nencoding: gzip\nSegment0_ID:=Segment_1\nSegment0_Name:=%s%n\n\n")
    n1 = bytearray(352); struct.pack_into("<i", n1, 0, 348); struct.pack_into("<8h", n1, 40, 3, 64, 64, 32, 1, 1, 1, 1)
    struct.pack_into("<hh", n1, 70, 4, 16); struct.pack_into("<f", n1, 108, 352.0); n1[344:348] = b"n+1\x00"
    d("nifti1", 4, 0, bytes(n1))
    big = bytearray(n1); struct.pack_into("<8h", big, 40, 7, 32767, 32767, 32767, 32767, 32767, 32767, 32767)
    d("nifti1_huge", 4, 0, bytes(big))
    d("nifti1_gz", 5, 0, gzip.compress(bytes(n1), mtime=0))
    an = bytearray(n1); an[344:348] = bytes(4); d("analyze_hdr", 6, 0, bytes(an))
    n2 = bytearray(544); struct.pack_into("<i", n2, 0, 540); n2[4:12] = b"n+2\x00\r\n\x1a\n"
    struct.pack_into("<h", n2, 12, 16); struct.pack_into("<h", n2, 14, 32); struct.pack_into("<8q", n2, 16, 3, 10, 10, 10, 1, 1, 1, 1)
    d("nifti2", 4, 0, bytes(n2))
    d("mha", 7, 0, "ObjectType = Image\nNDims = 3\nDimSize = 4 4 4\nElementType = MET_UCHAR\nElementDataFile = LOCAL\n" + "\0" * 64)
    d("mhd_list", 8, 0, "ObjectType = Image\nNDims = 3\nDimSize = 4 4 2\nElementType = MET_SHORT\nElementDataFile = LIST\n../a.raw\nb.raw\n")
    d("mhd_pattern", 8, 0, "NDims = 3\nDimSize = 4 4 2\nElementNumberOfChannels = 3\nElementType = MET_FLOAT\nElementDataFile = s%n%d.raw 1 2 1\n")
    d("vtk_legacy", 9, 0, "# vtk DataFile Version 3.0\ncube\nASCII\nDATASET POLYDATA\nPOINTS 8 float\n0 0 0 1 0 0 1 1 0 0 1 0 0 0 1 1 0 1 1 1 1 0 1 1\nPOLYGONS 1 5\n4 0 1 2 3\n")
    d("vtk_legacy_huge", 9, 0, "# vtk DataFile Version 4.2\nx\nBINARY\nDATASET STRUCTURED_POINTS\nDIMENSIONS 100000 100000 100000\nPOINT_DATA 1000000000000000\nSCALARS s double 1\n")
    d("vtp_xml", 10, 0, '<?xml version="1.0"?>\n<VTKFile type="PolyData" version="0.1" byte_order="LittleEndian"><PolyData><Piece NumberOfPoints="1" NumberOfPolys="0"></Piece></PolyData></VTKFile>\n')
    d("vtm", 11, 0, '<VTKFile type="vtkMultiBlockDataSet"><vtkMultiBlockDataSet><DataSet index="0" file="../../etc/x.vtp"/><DataSet index="1" file="m/b.vtp"/></vtkMultiBlockDataSet></VTKFile>')
    d("markups_json", 12, 0, '{"@schema":"https://raw.githubusercontent.com/slicer/slicer/master/Modules/Loadable/Markups/Resources/Schema/markups-schema-v1.0.3.json#",'
      '"markups":[{"type":"Fiducial","coordinateSystem":"LPS","labelFormat":"%N-%d","controlPoints":[{"id":"1","label":"F-1","position":[1.0,2.0,3.0]}],'
      '"display":{"textScale":3.0}}]}')
    d("markups_json_fmt", 12, 0, '{"markups":[{"type":"Curve","labelFormat":"%s%s%n","controlPoints":[]}]}')
    d("json_deep", 12, 0, "[" * 200 + "]" * 200)
    d("fcsv", 13, 0, "# Markups fiducial file version = 4.11\n# CoordinateSystem = LPS\n# columns = id,x,y,z,ow,ox,oy,oz,vis,sel,lock,label,desc,associatedNodeID\nvtkMRMLMarkupsFiducialNode_0,1,2,3,0,0,0,1,1,1,0,F-1,,\n")
    d("h5", 14, 0, b"\x89HDF\r\n\x1a\n" + bytes(64))
    d("tfm", 15, 0, "#Insight Transform File V1.0\n#Transform 0\nTransform: AffineTransform_double_3_3\nParameters: 1 0 0 0 1 0 0 0 1 0 0 0\nFixedParameters: 0 0 0\n")
    d("ctbl", 16, 0, "# Color table file x\n# 3 values\n0 Background 0 0 0 0\n1 tissue 128 174 128 255\n2147483647 huge 1 2 3 255\n")
    d("color_txt", 17, 0, "0 a 0 0 0 255\n1 b 300 -1 x\n")
    d("tsv", 18, 0, "a\tb\n1\t2\n")
    d("csv", 19, 0, "a,b\n=cmd|' /C calc'!A0,2\n")
    d("vp_json", 20, 0, '{"volumeProperties":[{"scalarOpacity":[0,0,255,1]}]}')
    d("shader_sp", 21, 0, '{"shaderProperty":{"code":"#version 150\\nvoid main(){}"}}')
    d("dicm", 22, 0, bytes(128) + b"DICM" + bytes(32))
    def dcm(syntax, explicit, big, elements):
        e = "<>"[big]
        def el(g, n, vr, v):
            tag = struct.pack(e + "HH", g, n)
            if not explicit or g == 0xFFFE:
                return tag + struct.pack(e + "I", len(v) if vr != "U" else 0xFFFFFFFF) + (v if vr != "U" else b"")
            if vr in ("OB", "OW", "SQ", "UN", "UT"):
                return tag + vr.encode() + bytes(2) + struct.pack(e + "I", 0xFFFFFFFF if v is None else len(v)) + (v or b"")
            return tag + vr.encode() + struct.pack(e + "H", len(v)) + v
        uid = syntax.encode() + b"\0" * (len(syntax) % 2)
        meta = struct.pack("<HH", 2, 0x10) + b"UI" + struct.pack("<H", len(uid)) + uid
        us = lambda v: struct.pack(e + "H", v)
        body = b"".join(el(*x) for x in elements(el, us))
        return bytes(128) + b"DICM" + meta + body
    def image(el, us):
        return [(0x28, 2, "US", us(1)), (0x28, 8, "IS", b"2 "),
                (0x88, 0x200, "SQ", None), (0xFFFE, 0xE000, "U", b""), (0x28, 0x10, "US", us(60000)),
                (0xFFFE, 0xE00D, "", b""), (0xFFFE, 0xE0DD, "", b""),
                (0x28, 0x10, "US", us(4)), (0x28, 0x11, "US", us(4)), (0x28, 0x100, "US", us(16)),
                (0x7FE0, 0x10, "OW", bytes(64))]
    d("dicom_explicit_le", 22, 0, dcm("1.2.840.10008.1.2.1", True, False, image))
    d("dicom_implicit_le", 22, 0, dcm("1.2.840.10008.1.2", False, False,
                                      lambda el, us: image(el, us)[:2] + image(el, us)[7:]))
    d("dicom_explicit_be", 22, 0, dcm("1.2.840.10008.1.2.2", True, True, image))
    d("elf", 23, 0, b"\x7fELF\x02\x01\x01" + bytes(57))
    d("shebang", 23, 0, "#!/usr/bin/env python3\nimport os\nos.system('id')\n")
    d("pe", 22, 0, b"MZ" + bytes(58) + b"\x40\x00\x00\x00PE\x00\x00")

def itk_seeds():
    h = "data_itk_fuzzer"
    put(h, "nrrd", bytes([0]) + NRRD)
    put(h, "nrrd_vector", b"\x00NRRD0004\ntype: float\ndimension: 4\nsizes: 3 2 2 2\nkinds: vector domain domain domain\nencoding: raw\n\n" + bytes(96))
    put(h, "mha", b"\x02ObjectType = Image\nNDims = 3\nDimSize = 2 2 2\nElementNumberOfChannels = 2\nElementType = MET_SHORT\nElementDataFile = LOCAL\n" + bytes(32))
    n1 = bytearray(352); struct.pack_into("<i", n1, 0, 348); struct.pack_into("<8h", n1, 40, 3, 4, 4, 2, 1, 1, 1, 1)
    struct.pack_into("<hh", n1, 70, 16, 32); struct.pack_into("<f", n1, 108, 352.0); n1[344:348] = b"n+1\x00"
    put(h, "nifti1", bytes([4]) + bytes(n1) + bytes(128))

def report_seeds():
    h = "report_fuzzer"
    put(h, "one_finding", bytes([0, 8]) + b"x.mrb\x01\x80\x00\x05ok\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x0c" + b"\x00\x05a/b/c")
    put(h, "control_bytes", bytes([2, 4]) + b"\x1b[2J\x02\xc0\x04\x1b]0;\x07\x00" + bytes(24) + b"\x08" + b"\x31" + b"\x07zip.bad\x05" + b"\x00" * 8 + b"\x10\"\\\n\r\t\x00\x01\x7f\xff\xfe\xed\xa0\x80")
    put(h, "utf8_edges", bytes([1, 12]) + "é\u2028\u2029\U0001f600".encode() + b"\xed\xa0\x80\xf4\x90\x80\x80\xc0\xaf" * 4)

def xml_diff_seeds():
    h = "xml_differential_fuzzer"
    put(h, "minimal.mrml", SCENE)
    put(h, "attr_whitespace.mrml", '<MRML><Volume id="a" name="a\tb\nc\r\nd  e" description="&#9;&#10;&#13;&#32;&amp;&quot;&apos;&gt;"/></MRML>')
    put(h, "crlf.mrml", '<MRML>\r\n<Volume\r\nid="a"\rname="x\ry"/>\r\n</MRML>\r\n')
    put(h, "utf8_names.mrml", '<MRML><Volume id="a" name="\u00e9\u4e2d\U0001f600"/></MRML>')
    put(h, "empty_attr.mrml", "<MRML><Volume id='a' name='' description=\"'\"/></MRML>")

def slicer_path_seeds():
    # A length byte and a base folder, then the path: one of each kind text::ReadSlicerPath tells apart.
    h = "slicer_path_fuzzer"
    for name, base, path in [
            ("relative", b"Scene/Data", b"Data/a.nrrd"),
            ("climb", b"S/D", b"../../../etc/passwd"),
            ("backslash_climb", b"S", b"a\\..\\..\\x"),
            ("unc_mixed", b"", b"\\/host/share/x"),
            ("unc", b"S", b"\\\\host\\share\\x"),
            ("drive", b"S", b"C:\\Windows\\win.ini"),
            ("home", b"S", b"~root/.ssh/id_rsa"),
            ("url", b"S", b"http://host/a.nrrd"),
            ("slicer_scheme", b"", b"slicer:0x1#vtkMRMLScalarVolumeNode1"),
            ("nul", b"S", b"a.nrrd\x00/../../x"),
            ("dots", b"./S//../T", b"./a/./.../.. /b/")]:
        put(h, name, bytes([len(base)]) + base + path)

def sanitize_seeds():
    # Scenes with something to disarm (one per action), so that the fuzzer
    # starts from inputs sanitize rewrites rather than refuses.
    h = "sanitize_fuzzer"
    head = '<?xml version="1.0" encoding="UTF-8"?>\n<MRML version="Slicer 5.8.1 33241">\n'
    for name, body in [
            ("drop_node.mrml", ' <ShaderProperty id="s"></ShaderProperty>\n <Volume id="v" references="shaderProperty:s;"></Volume>\n'),
            ("storage.mrml", ' <Model id="m" storageNodeRef="s"></Model>\n <ModelStorage id="s" fileName="../m.vtk" '
                             'uri="https://evil/x" readState="2"></ModelStorage>\n'),
            ("values.mrml", ' <ColorTable id="c" type="99"></ColorTable>\n <ModelDisplay id="d" visibility="1" '
                            'opacity="nan"></ModelDisplay>\n <Volume id="v" spacing="1 1"></Volume>\n'),
            ("formats.mrml", ' <MarkupsFiducial id="f" name="%s%n" controlPointLabelFormat="%s%s"></MarkupsFiducial>\n'
                             ' <SequenceBrowser id="b" indexDisplayFormat="%5$s"></SequenceBrowser>\n'),
            ("references.mrml", ' <Model id="m" displayNodeRef="gone d" references="display:d gone;transform:t;"></Model>\n'
                                ' <ModelDisplay id="d"></ModelDisplay>\n <LinearTransform id="t" transformNodeRef="t"></LinearTransform>\n'),
            ("network.mrml", ' <IGTLConnector id="i" connectorType="SERVER" serverPort="18944" persistent="1"></IGTLConnector>\n'
                             ' <PlusServer id="p" desiredState="On"></PlusServer>\n'),
            ("markup.mrml", ' <!-- c --><?pi x?>\n <Volume id="v"><![CDATA[ ]]></Volume>\n'),
            ("subject_hierarchy.mrml", ' <SubjectHierarchy id="sh" attributes="SubjectHierarchyVersion:2">'
                                       '<SubjectHierarchyItem id="3" parent="0" dataNode="gone"><SubjectHierarchyItem id="x" parent="3">'
                                       '</SubjectHierarchyItem></SubjectHierarchyItem></SubjectHierarchy>\n')]:
        put(h, name, head + body + "</MRML>\n")

def deflate_measure_seeds():
    # A config byte (bit 0: 0 = the rest is a raw deflate stream, 1 = zlib
    # compresses the rest at level (bits 1-4) % 10 and strategy (bits 5-7) % 5,
    # after a flip count byte and 16-bit flip positions), then the data.
    h = "deflate_measure_fuzzer"
    text = b"".join(b"%d," % (i * 7919 % 1000) for i in range(600))
    def raw(data, level, strategy=zlib.Z_DEFAULT_STRATEGY):
        c = zlib.compressobj(level, zlib.DEFLATED, -15, 8, strategy)
        return c.compress(data) + c.flush()
    def cfg(level, strategy):
        return bytes([1 | (level << 1) | (strategy << 5)])
    for name, data in [
            ("raw_empty", raw(b"", 6)),
            ("raw_text_l1", raw(text, 1)),
            ("raw_text_l9", raw(text, 9)),
            ("raw_stored", raw(text[:700], 0)),
            ("raw_zeros", raw(bytes(20000), 9)),
            ("raw_huffman_only", raw(text, 6, zlib.Z_HUFFMAN_ONLY)),
            ("raw_rle", raw(bytes(300) + text[:200] * 3, 6, zlib.Z_RLE)),
            ("raw_fixed", raw(text, 6, zlib.Z_FIXED)),
            ("raw_trailing", raw(text[:100], 6) + b"JUNK"),
            ("raw_truncated", raw(text, 6)[:-5]),
            # Hand-assembled: block type 3; stored LEN/NLEN mismatch; a fixed
            # block with a match before the first byte; a fixed block with
            # distance code 30.
            ("raw_type3", bytes([0x07, 0, 0])),
            ("raw_stored_nlen", bytes([0x01, 3, 0, 3, 0, 1, 2, 3])),
            ("raw_too_far", bytes([0x03, 0x02, 0x00])),
            ("raw_dist30", bytes([0x4b, 0x04, 0x3e, 0x00]))]:
        put(h, name, b"\x00" + data)
    # The costliest streams per compressed byte (tools/gen_deflate_worst.py),
    # small: length-3 matches past the 32 KiB window (runs of matches), and
    # dynamic blocks of 300 one-bit literals (a run table per block).
    spec = importlib.util.spec_from_file_location(
        "gen_deflate_worst", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools", "gen_deflate_worst.py"))
    worst = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(worst)
    put(h, "raw_shortest_matches", b"\x00" + worst.shortest_matches(3500)[0])
    put(h, "raw_literal_blocks", b"\x00" + worst.literal_blocks(3000, literals=300)[0])
    for name, head, data in [
            ("zlib_text_l6", cfg(6, 0) + b"\x00", text),
            ("zlib_zeros_l9_flip", cfg(9, 0) + b"\x01\x40\x00", bytes(5000)),
            ("zlib_filtered_flip2", cfg(5, 1) + b"\x02\x10\x00\x99\x01", text),
            ("zlib_huffman", cfg(4, 2) + b"\x00", text[:900]),
            ("zlib_rle_flip", cfg(3, 3) + b"\x01\x23\x00", bytes(100) + text[:300]),
            ("zlib_fixed_flip3", cfg(2, 4) + b"\x03\x05\x00\x50\x00\xa0\x00", text[:500]),
            ("zlib_stored", cfg(0, 0) + b"\x00", text[:400])]:
        put(h, name, head + data)

if __name__ == "__main__":
    mrb_seeds(); mrml_seeds(); data_seeds(); itk_seeds(); report_seeds(); xml_diff_seeds(); slicer_path_seeds()
    sanitize_seeds(); deflate_measure_seeds()
    print("seeds written under", os.path.normpath(ROOT))
