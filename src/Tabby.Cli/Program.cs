Console.WriteLine("tabby");
