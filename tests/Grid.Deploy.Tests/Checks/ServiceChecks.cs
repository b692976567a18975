using Grid.Deploy.Tests.Rendering;
using Grid.Deploy.Tests.Yaml;

namespace Grid.Deploy.Tests.Checks;

/// <summary>Services, the StatefulSet's governing Service, NetworkPolicies, PodDisruptionBudgets and HPAs point at real pods and ports.</summary>
public static class ServiceChecks
{
    /// <summary>
    /// Every Service selects the pods of exactly one workload and each of its ports reaches a port of those pods'
    /// containers; the silo Service serves port 80 on the silo's HTTP port; each StatefulSet's serviceName is a
    /// headless Service selecting its pods.
    /// </summary>
    public static IEnumerable<string> Services(Manifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        foreach (KubeObject service in manifest.OfKind("Service"))
        {
            var selector = LabelSelector.FromMap(service.Spec["selector"].StringMap());
            IReadOnlyList<Workload> selected = manifest.Selected(selector);
            if (selected.Count != 1)
            {
                yield return $"{service} selects ({selector}) the pods of {selected.Count} workloads ({string.Join(", ", selected)}), not one";
                continue;
            }
            Workload workload = selected[0];
            foreach (Node port in service.Spec["ports"].Items)
            {
                if (port["name"].Text is null)
                {
                    yield return $"{service}: port {port["port"].Text} has no name";
                }
                Node target = port["targetPort"].Exists ? port["targetPort"] : port["port"];
                if (!workload.Containers.Any(c => c.ResolvePort(target) is { } number && c.PortNumbers.Contains(number)))
                {
                    yield return $"{service}: targetPort '{target.Text}' is no port of {workload}'s containers";
                }
            }
        }

        KubeObject? siloService = manifest.Find("Service", GridNames.Silo);
        if (siloService is null)
        {
            yield return $"no Service '{GridNames.Silo}'";
        }
        else
        {
            Container silo = manifest.GetWorkload(GridNames.Silo).Container(GridNames.SiloContainer);
            Node? http = siloService.Spec["ports"].Items.FirstOrDefault(p => p["port"].Number == 80);
            if (http is null)
            {
                yield return $"{siloService} does not serve port 80";
            }
            else if (silo.ResolvePort(http["targetPort"]) != silo.NamedPorts.GetValueOrDefault("http"))
            {
                yield return $"{siloService} port 80 goes to '{http["targetPort"].Text}', not the silo's http port";
            }
        }

        foreach (Workload statefulSet in manifest.Workloads.Where(w => w.Resource.Kind == "StatefulSet"))
        {
            string? governing = statefulSet.Resource.Spec["serviceName"].Text;
            KubeObject? headless = governing is null ? null : manifest.Find("Service", governing);
            if (headless is null)
            {
                yield return $"{statefulSet}: serviceName '{governing}' is not a rendered Service";
            }
            else if (headless.Spec["clusterIP"].Text != "None")
            {
                yield return $"{statefulSet}: its serviceName '{governing}' is not headless (clusterIP: None)";
            }
            else if (!LabelSelector.FromMap(headless.Spec["selector"].StringMap()).Matches(statefulSet.PodLabels))
            {
                yield return $"{statefulSet}: its headless Service '{governing}' does not select its pods";
            }
        }
    }

    /// <summary>
    /// Every NetworkPolicy selects some workload's pods; each ingress rule admits some workload's pods (the silo, for
    /// Redis's) and names ports the selected pods have.
    /// </summary>
    public static IEnumerable<string> NetworkPolicies(Manifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        foreach (KubeObject policy in manifest.OfKind("NetworkPolicy"))
        {
            IReadOnlyList<Workload> protectedPods = manifest.Selected(LabelSelector.From(policy.Spec["podSelector"]));
            if (protectedPods.Count == 0)
            {
                yield return $"{policy} selects no workload's pods";
                continue;
            }
            foreach (Node rule in policy.Spec["ingress"].Items)
            {
                foreach (Node from in rule["from"].Items.Where(f => f["podSelector"].Exists && !f["namespaceSelector"].Exists))
                {
                    if (manifest.Selected(LabelSelector.From(from["podSelector"])).Count == 0)
                    {
                        yield return $"{policy}: {from.Path} admits no workload's pods";
                    }
                }
                foreach (Node port in rule["ports"].Items)
                {
                    if (!protectedPods.All(w => w.Containers.Any(c => c.ResolvePort(port["port"]) is { } n && c.PortNumbers.Contains(n))))
                    {
                        yield return $"{policy}: port '{port["port"].Text}' is not a port of every pod it protects";
                    }
                }
            }
        }
        KubeObject? redisPolicy = manifest.OfKind("NetworkPolicy")
            .FirstOrDefault(p => manifest.Selected(LabelSelector.From(p.Spec["podSelector"])).Any(w => w.Name == GridNames.Redis));
        if (redisPolicy is null)
        {
            yield return "no NetworkPolicy protects Redis, which has no password";
        }
        else
        {
            Workload silo = manifest.GetWorkload(GridNames.Silo);
            bool siloAdmitted = redisPolicy.Spec["ingress"].Items
                .SelectMany(rule => rule["from"].Items)
                .Any(from => from["podSelector"].Exists && LabelSelector.From(from["podSelector"]).Matches(silo.PodLabels));
            if (!siloAdmitted)
            {
                yield return $"{redisPolicy} does not admit the silo's pods: silos could not reach Redis";
            }
        }
    }

    /// <summary>
    /// The silo has a PodDisruptionBudget that selects its pods (and no other workload's) and leaves room for one
    /// eviction at the smallest replica count; otherwise a node drain would wait forever.
    /// </summary>
    public static IEnumerable<string> DisruptionBudget(Manifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        Workload silo = manifest.GetWorkload(GridNames.Silo);
        KubeObject[] budgets = [.. manifest.OfKind("PodDisruptionBudget").Where(p => LabelSelector.From(p.Spec["selector"]).Matches(silo.PodLabels))];
        if (budgets.Length != 1)
        {
            yield return $"{budgets.Length} PodDisruptionBudgets select the silo's pods, not one";
            yield break;
        }
        KubeObject budget = budgets[0];
        IReadOnlyList<Workload> selected = manifest.Selected(LabelSelector.From(budget.Spec["selector"]));
        if (selected.Count != 1)
        {
            yield return $"{budget} selects the pods of {selected.Count} workloads ({string.Join(", ", selected)})";
        }
        long? minAvailable = budget.Spec["minAvailable"].Number;
        if (minAvailable is null or < 1)
        {
            yield return $"{budget}: minAvailable is '{budget.Spec["minAvailable"].Text}', not a count of at least 1";
        }
        long fewest = FewestReplicas(manifest, silo);
        if (minAvailable is { } min && min >= fewest)
        {
            yield return $"{budget}: minAvailable {min} with as few as {fewest} silos allows no eviction, so node drains would hang";
        }
    }

    /// <summary>
    /// Every HPA scales a rendered Deployment, and when it scales on CPU or memory utilization every container of
    /// that Deployment requests the resource (utilization is a share of the request).
    /// </summary>
    public static IEnumerable<string> Autoscalers(Manifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        foreach (KubeObject hpa in manifest.OfKind("HorizontalPodAutoscaler"))
        {
            if (hpa.ApiVersion != "autoscaling/v2")
            {
                yield return $"{hpa} is {hpa.ApiVersion}, not autoscaling/v2";
            }
            Node target = hpa.Spec["scaleTargetRef"];
            Workload? workload = manifest.Workloads.FirstOrDefault(w => w.Resource.Kind == target["kind"].Text && w.Name == target["name"].Text);
            if (workload is null)
            {
                yield return $"{hpa} scales {target["kind"].Text}/{target["name"].Text}, which is not rendered";
                continue;
            }
            if (hpa.Spec["minReplicas"].Number is not { } min || hpa.Spec["maxReplicas"].Number is not { } max || min < 1 || max < min)
            {
                yield return $"{hpa}: minReplicas {hpa.Spec["minReplicas"].Text} / maxReplicas {hpa.Spec["maxReplicas"].Text} are not 1 <= min <= max";
            }
            if (workload.Replicas is not null)
            {
                yield return $"{workload} sets replicas although {hpa} owns the count: every apply would reset it";
            }
            foreach (Node metric in hpa.Spec["metrics"].Items.Where(m => m["type"].Text == "Resource"))
            {
                string? resource = metric["resource"]["name"].Text;
                if (metric["resource"]["target"]["type"].Text == "Utilization" && resource is not null)
                {
                    foreach (Container container in workload.Containers.Where(c => !c.Requests.ContainsKey(resource)))
                    {
                        yield return $"{hpa} scales on {resource} utilization but {container} requests no {resource}";
                    }
                }
            }
        }
    }

    /// <summary>The fewest replicas <paramref name="workload"/> runs with: its HPA's minReplicas, else spec.replicas (default 1).</summary>
    public static long FewestReplicas(Manifest manifest, Workload workload)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(workload);
        KubeObject? hpa = manifest.OfKind("HorizontalPodAutoscaler")
            .FirstOrDefault(h => h.Spec["scaleTargetRef"]["name"].Text == workload.Name && h.Spec["scaleTargetRef"]["kind"].Text == workload.Resource.Kind);
        return hpa?.Spec["minReplicas"].Number ?? workload.Replicas ?? 1;
    }
}
