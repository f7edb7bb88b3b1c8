#!/usr/bin/env python3
"""compare_pe.py: engine/pe.c against Zeek's pe.log, field by field.

  tools/compare_pe.py [PCAP [PE_LOG]]   (default: ../shared/pcaps/pe/pe.pcap and its baseline)

The files of the capture are extracted with tshark (--export-objects ftp-data and http), read
by tools/pe_dump.c (built here against engine/pe.c), named as Zeek names them, and each pe.log
row is paired with the file that has its compile_ts and machine.
"""
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(ROOT, "..", "shared")
FIELDS = ["machine", "compile_ts", "os", "subsystem", "is_exe", "is_64bit", "uses_aslr",
          "uses_dep", "uses_code_integrity", "uses_seh", "has_import_table", "has_export_table",
          "has_cert_table", "has_debug_data", "section_names"]
MACHINES = {0x0: "UNKNOWN", 0x1d3: "AM33", 0x8664: "AMD64", 0x1c0: "ARM", 0x1c4: "ARMNT",
            0xaa64: "ARM64", 0xebc: "EBC", 0x14c: "I386", 0x200: "IA64", 0x9041: "M32R",
            0x266: "MIPS16", 0x366: "MIPSFPU", 0x466: "MIPSFPU16", 0x1f0: "POWERPC",
            0x1f1: "POWERPCFP", 0x166: "R4000", 0x1a2: "SH3", 0x1a3: "SH3DSP", 0x1a6: "SH4",
            0x1a8: "SH5", 0x1c2: "THUMB", 0x169: "WCEMIPSV2"}
SUBSYS = {0: "UNKNOWN", 1: "NATIVE", 2: "WINDOWS_GUI", 3: "WINDOWS_CUI", 7: "POSIX_CUI",
          9: "WINDOWS_CE_GUI", 10: "EFI_APPLICATION", 11: "EFI_BOOT_SERVICE_DRIVER",
          12: "EFI_RUNTIME_DRIVER", 13: "EFI_ROM", 14: "XBOX"}
OS = {(10, 0): "Windows 10", (6, 4): "Windows 10 Technical Preview",
      (6, 3): "Windows 8.1 or Server 2012 R2", (6, 2): "Windows 8 or Server 2012",
      (6, 1): "Windows 7 or Server 2008 R2", (6, 0): "Windows Vista or Server 2008",
      (5, 2): "Windows XP x64 or Server 2003", (5, 1): "Windows XP", (5, 0): "Windows 2000",
      (4, 90): "Windows Me", (4, 10): "Windows 98", (4, 0): "Windows 95 or NT 4.0",
      (3, 51): "Windows NT 3.51", (3, 50): "Windows NT 3.5", (3, 2): "Windows 3.2",
      (3, 11): "Windows for Workgroups 3.11", (3, 10): "Windows 3.1 or NT 3.1",
      (3, 0): "Windows 3.0", (2, 11): "Windows 2.11", (2, 10): "Windows 2.10",
      (2, 0): "Windows 2.0", (1, 4): "Windows 1.04", (1, 3): "Windows 1.03",
      (1, 1): "Windows 1.01", (1, 0): "Windows 1.0"}


def ours(pcap, tmp):
    exe = os.path.join(tmp, "pe_dump")
    subprocess.run(["cc", "-std=c11", "-I" + os.path.join(ROOT, "engine"), "-o", exe,
                    os.path.join(ROOT, "tools", "pe_dump.c"),
                    os.path.join(ROOT, "engine", "pe.c")], check=True)
    files = []
    for kind in ("ftp-data", "http"):
        d = os.path.join(tmp, kind)
        os.makedirs(d)
        subprocess.run(["tshark", "-r", pcap, "-Q", "--export-objects", kind + "," + d],
                       check=False, stderr=subprocess.DEVNULL)
        files += [os.path.join(d, n) for n in sorted(os.listdir(d))]
    out = subprocess.run([exe] + files, check=True, capture_output=True, text=True).stdout
    rows = {}
    for line in out.splitlines():
        c = line.split("\t")
        if c[1] == "not-pe":
            rows[os.path.basename(c[0])] = None
            continue
        m = int(c[1])
        os_name = "-"
        if c[3] != "-":
            a, b = (int(x) for x in c[3].split("."))
            os_name = OS.get((a, b), "unknown-%d.%d" % (a, b))
        sub = "-" if c[4] == "-" else SUBSYS.get(int(c[4]), "unknown-" + c[4])
        rows[os.path.basename(c[0])] = [MACHINES.get(m, "unknown-%d" % m),
                                        "%d.000000" % int(c[2]), os_name, sub] + c[5:]
    return rows


def zeek(path):
    rows = []
    for line in open(path):
        if line.startswith("#"):
            continue
        rows.append(line.rstrip("\n").split("\t")[2:])
    return rows


def main():
    pcap = sys.argv[1] if len(sys.argv) > 1 else os.path.join(SHARED, "pcaps", "pe", "pe.pcap")
    log = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
        SHARED, "pcaps", "zeek-baselines", "pe", "pe.pcap", "scripts.base.files.pe.basic", "pe.log")
    with tempfile.TemporaryDirectory() as tmp:
        mine = ours(pcap, tmp)
    same = total = 0
    for z in zeek(log):
        match = [n for n, r in mine.items() if r and r[0] == z[0] and r[1] == z[1]]
        if not match:
            print("zeek row without a kanshi PE: %s (kanshi: not a PE: %s)" %
                  (" ".join(z), [n for n, r in mine.items() if r is None]))
            total += len(FIELDS)
            continue
        r = mine[match[0]]
        for f, a, b in zip(FIELDS, r, z):
            total += 1
            if a == b:
                same += 1
            else:
                print("%s %s: kanshi %s zeek %s" % (match[0], f, a, b))
        print("%s: %d/%d fields equal" % (match[0], sum(a == b for a, b in zip(r, z)), len(FIELDS)))
    print("fields equal: %d/%d" % (same, total))


if __name__ == "__main__":
    main()
