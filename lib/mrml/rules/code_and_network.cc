// SPDX-License-Identifier: BSD-3-Clause
// Code and network (checks 25-27, 33): nodes that make Slicer run a program,
// compile code, import a module, or listen and connect.

#include <string>

#include "findings/quote.h"
#include "mrml/rules/rules.h"

namespace mrmlguard::internal::mrml {
namespace {

// slicer.parameterNodeWrapper's AnySerializer imports the module named by
// "<param>.type". Parameters are attributes, or "parameterN" = "name value".
void CheckScriptedParameter(const NodeContext& node, const XmlAttribute& attribute, SceneFindings& out) {
  const std::string_view an = attribute.name;
  std::string_view param = an, value = attribute.value;
  if (an.starts_with("parameter") && an.find('.') == std::string_view::npos) {
    size_t space = attribute.value.find(' ');
    param = attribute.value.substr(0, space);
    value = space == std::string_view::npos ? std::string_view() : attribute.value.substr(space + 1);
  }
  if (ScriptedTypeImports(param, value)) {
    out.Add(Rule::kMrmlCodeNode, At(node.pos, node.id_label, an),
            "ScriptedModule parameter " + Quote(param, 64) + " names module " + Quote(value, 80) +
                ", which parameterNodeWrapper imports (AnySerializer: importlib.import_module)");
  }
}

}  // namespace

void CheckCodeAttribute(const NodeContext& node, const XmlAttribute& attribute, SceneFindings& out) {
  const std::string_view an = attribute.name;
  const std::string_view value = attribute.value;
  if (an == "autorun" && node.Has(registry::kFlagCli)) {
    // vtkMRMLCommandLineModuleNode: autorun runs the CLI when inputs change (poc/18).
    if (value != "0" && value != "false") {
      out.Add(Rule::kMrmlCodeNode, At(node.pos, node.id_label, an),
              "CommandLineModule autorun " + Quote(value, 32) +
                  ": Slicer runs the module's program whenever its parameters change");
    }
  }
  if (an == "persistent" && node.Has(registry::kFlagPersistentConnector) && value != "0") {
    out.Add(Rule::kMrmlNetworkNode, At(node.pos, node.id_label, an),
            "IGTLConnector persistent " + Quote(value, 32) +
                ": SlicerOpenIGTLink starts it at the end of import (listens or connects)");
  }
  if (an == "desiredState" && node.Has(registry::kFlagPlusServer) && value == "On") {
    out.Add(Rule::kMrmlNetworkNode, At(node.pos, node.id_label, an),
            "PlusServer desiredState \"On\": the launcher is told to start a Plus server with this node's "
            "configuration");
  }
  if (node.Has(registry::kFlagScriptedModule)) CheckScriptedParameter(node, attribute, out);
}

void CheckNodeClass(const NodeContext& node, const NodeFacts& facts, SceneFindings& out) {
  const std::string_view tag = node.tag;
  if (node.Has(registry::kFlagCode)) {
    out.Add(Rule::kMrmlCodeNode, At(node.pos, node.id_label),
            "<" + std::string(tag) +
                ">: shader property data (GLSL vertex/fragment code) compiled by the GPU "
                "driver");
  }
  if (node.Has(registry::kFlagCli)) {
    out.Add(Rule::kMrmlCliNode, At(node.pos, node.id_label),
            "CommandLineModule node: Slicer runs the installed program when its parameters change");
  }
  if (node.Has(registry::kFlagSelfLaunching)) {
    out.Add(Rule::kMrmlNetworkNode, At(node.pos, node.id_label),
            "PlusServerLauncher: SlicerOpenIGTLink connects to its Hostname:Port one second after it is added");
  }
  if (node.Has(registry::kFlagOpenIgtLink)) {
    // Check 33: any OpenIGTLink or Plus node, even one that does not start by
    // itself: a connector can be started from the GUI with the host and port
    // the scene chose, and the Plus nodes drive a remote server.
    out.Add(Rule::kMrmlIgtlNode, At(node.pos, node.id_label),
            "<" + std::string(tag) + "> is a SlicerOpenIGTLink node (" +
                (tag.starts_with("Plus") ? "Plus server control" : "OpenIGTLink network I/O") +
                "): it names hosts and ports Slicer may connect to or listen on");
  }
  // Check 27: whatever module of that name is installed reads the parameters.
  for (size_t m = 0; m < 2; ++m) {
    const std::string& module = facts.module_names[m];
    if (module.empty() || registry::IsKnownScriptedModule(module)) continue;
    if (m == 1 && module == facts.module_names[0]) continue;  // the two usually agree
    const registry::SlicerVersion v = registry::RegistryVersion();
    const std::string current =
        std::to_string(v.major) + "." + std::to_string(v.minor) + "." + std::to_string(v.patch);
    if (const registry::HistoryEntry* past = registry::FindHistoricModule(module)) {
      // Found by scan_slicer_history.py in a past release or extension.
      out.Add(Rule::kMrmlScriptedModuleLegacy, At(node.pos, node.id_label, "ModuleName"),
              "ScriptedModule parameter node of module " + Quote(module, 64) + " (" + std::string(past->where) +
                  "), which Slicer " + current + " does not have: inert unless a module of that name is installed");
      continue;
    }
    out.Add(Rule::kMrmlScriptedModuleUnknown, At(node.pos, node.id_label, "ModuleName"),
            "ScriptedModule parameter node of module " + Quote(module, 64) + ", which no scripted module of " +
                registry::HistoryCoverage() +
                " or of a known extension has: whatever module of that name is installed reads its parameters");
  }
}

}  // namespace mrmlguard::internal::mrml
