using Grid.Deploy.Tests.Rendering;
using Grid.Deploy.Tests.Yaml;

namespace Grid.Deploy.Tests.Checks;

/// <summary>
/// The silo's Kubernetes API access: what Orleans' Kubernetes hosting 10.4.2 (<c>KubernetesClusterAgent</c>) calls,
/// and nothing more.
/// </summary>
public static class RbacChecks
{
    /// <summary>The verbs on pods the package uses in Grid's deployment, and what for.</summary>
    public static readonly IReadOnlyDictionary<string, string> NeededPodVerbs = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["get"] = "a silo reads its own pod at start",
        ["list"] = "a silo lists the cluster's pods at start",
        ["watch"] = "two silos watch the pods to declare the silo of a deleted pod dead",
    };

    /// <summary>Verbs on pods the package can use that Grid's deployment does not need, and why.</summary>
    public static readonly IReadOnlyDictionary<string, string> UnneededPodVerbs = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["patch"] = "the package patches its pod only when the pod's labels differ from its ids, which come from those labels",
        ["delete"] = "the package deletes pods only with DeleteDefunctSiloPods, which Grid leaves off",
    };

    /// <summary>
    /// The silo runs as a service account of its own, rendered and with its token mounted; RoleBindings in its
    /// namespace give it get, list and watch on pods, and nothing else: no other verb or resource, no wildcard, no
    /// cluster-wide binding.
    /// </summary>
    public static IEnumerable<string> PodAccess(SiloView silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        Node pod = silo.Workload.PodSpec;
        string ns = silo.Workload.Resource.Namespace ?? "default";
        string account = pod["serviceAccountName"].Text ?? "default";
        if (account == "default")
        {
            yield return $"{silo.Workload} runs as the namespace's default service account; give the silo its own, bound to pod access";
        }
        KubeObject? serviceAccount = silo.Manifest.OfKind("ServiceAccount").FirstOrDefault(a => a.Name == account && a.Namespace == ns);
        if (serviceAccount is null && account != "default")
        {
            yield return $"{silo.Workload}: ServiceAccount/{account} is not rendered";
        }
        if (pod["automountServiceAccountToken"].Text == "false"
            || (!pod["automountServiceAccountToken"].Exists && serviceAccount?.Root["automountServiceAccountToken"].Text == "false"))
        {
            yield return $"{silo.Workload} does not mount its service account token, which Orleans' Kubernetes hosting calls the API with";
        }

        foreach (KubeObject binding in silo.Manifest.OfKind("ClusterRoleBinding").Where(b => Binds(b, account, ns)))
        {
            yield return $"{binding} gives ServiceAccount/{account} rights in every namespace; Kubernetes hosting needs pods in its own only";
        }
        var rules = new List<(KubeObject Role, Node Rule)>();
        KubeObject[] bindings = [.. silo.Manifest.OfKind("RoleBinding").Where(b => b.Namespace == ns && Binds(b, account, ns))];
        if (bindings.Length == 0)
        {
            yield return $"no RoleBinding in namespace '{ns}' gives ServiceAccount/{account} access to pods";
        }
        foreach (KubeObject binding in bindings)
        {
            string kind = binding.Root["roleRef"]["kind"].Text ?? "";
            string name = binding.Root["roleRef"]["name"].Text ?? "";
            KubeObject? role = silo.Manifest.OfKind(kind).FirstOrDefault(r => r.Name == name && (kind == "ClusterRole" || r.Namespace == ns));
            if (role is null)
            {
                yield return $"{binding} refers to {kind}/{name}, which is not rendered";
                continue;
            }
            rules.AddRange(role.Root["rules"].Items.Select(rule => (role, rule)));
        }

        var granted = new HashSet<string>(StringComparer.Ordinal);
        foreach ((KubeObject role, Node rule) in rules)
        {
            string[] verbs = Texts(rule["verbs"]);
            string[] resources = Texts(rule["resources"]);
            bool corePods = Texts(rule["apiGroups"]).Any(g => g is "" or "*") && resources.Any(r => r is "pods" or "*");
            if (!corePods || resources.Any(r => r != "pods"))
            {
                yield return $"{role} grants {string.Join(", ", verbs)} on {string.Join(", ", resources)} (groups: {string.Join(", ", Texts(rule["apiGroups"]).Select(g => g.Length == 0 ? "core" : g))}); Kubernetes hosting needs pods of the core group only";
            }
            if (rule["resourceNames"].Items.Any())
            {
                // A rule limited to named pods cannot serve list and watch.
                yield return $"{role}: a rule limited to resourceNames does not let a silo list or watch the cluster's pods";
                continue;
            }
            foreach (string verb in verbs)
            {
                if (corePods && NeededPodVerbs.ContainsKey(verb))
                {
                    granted.Add(verb);
                }
                else if (corePods)
                {
                    if (verb == "*")
                    {
                        granted.UnionWith(NeededPodVerbs.Keys);
                    }
                    string why = verb == "*" ? "it is every verb, patch and delete included"
                        : UnneededPodVerbs.GetValueOrDefault(verb) ?? "Kubernetes hosting never uses it";
                    yield return $"{role} grants '{verb}' on pods, which the silo does not need: {why}";
                }
            }
        }
        foreach ((string verb, string why) in NeededPodVerbs.Where(v => !granted.Contains(v.Key)))
        {
            yield return $"ServiceAccount/{account} cannot {verb} pods, but {why}";
        }
    }

    private static bool Binds(KubeObject binding, string account, string ns) =>
        binding.Root["subjects"].Items.Any(s =>
            s["kind"].Text == "ServiceAccount" && s["name"].Text == account && (s["namespace"].Text ?? binding.Namespace) == ns);

    private static string[] Texts(Node list) => [.. list.Items.Select(i => i.Text ?? "")];
}
